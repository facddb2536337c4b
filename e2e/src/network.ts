import { spawnSync } from "node:child_process";
import { runCommand } from "./exec.js";
import type { ClusterPlan, NodePlan } from "./plan.js";

/** Names of the run's namespaces, in creation order. */
export function networkNamespaces(plan: ClusterPlan): string[] {
  return [plan.bridge.netns, plan.client.netns, ...plan.nodes.map((node) => node.netns)];
}

/** Runs `ip` commands (one per line) inside a namespace with a single `ip -batch` process. */
async function ipBatch(netns: string, lines: readonly string[]): Promise<void> {
  await runCommand("ip", ["-n", netns, "-batch", "-"], { input: `${lines.join("\n")}\n` });
}

function nodeAddressLines(plan: ClusterPlan, node: NodePlan): string[] {
  return [
    `address add ${node.address}/${plan.prefixLength} dev ${node.ifname}`,
    `link set ${node.ifname} up`,
    // Cloud services (the emulator) sit behind the subnet's gateway, as OCI's do.
    `route add ${plan.bridge.servicesAddress}/32 via ${plan.bridge.gateway} dev ${node.ifname}`,
  ];
}

/**
 * Builds the lab's L2 segment: a bridge namespace holding `br0` (gateway and services address),
 * one veth per node and one for the client, each node end carrying the node's MAC and address.
 */
export async function createNetwork(plan: ClusterPlan): Promise<void> {
  for (const netns of networkNamespaces(plan)) {
    await runCommand("ip", ["netns", "add", netns]);
  }
  const { bridge, client } = plan;
  const peers = [...plan.nodes, client];
  await ipBatch(bridge.netns, [
    "link set lo up",
    // STP off and no forward delay: ports forward at once, as a cloud subnet does.
    `link add name ${bridge.ifname} type bridge stp_state 0 forward_delay 0`,
    `address add ${bridge.gateway}/${plan.prefixLength} dev ${bridge.ifname}`,
    `address add ${bridge.servicesAddress}/24 dev ${bridge.ifname}`,
    `link set ${bridge.ifname} up`,
    ...peers.flatMap((peer) => [
      `link add name ${peer.bridgePort} type veth peer name ${peer.ifname} address ${peer.mac} netns ${peer.netns}`,
      `link set ${peer.bridgePort} master ${bridge.ifname} up`,
    ]),
  ]);
  await Promise.all([
    ...plan.nodes.map((node) =>
      ipBatch(node.netns, ["link set lo up", ...nodeAddressLines(plan, node)]),
    ),
    ipBatch(client.netns, [
      "link set lo up",
      `address add ${client.address}/${plan.prefixLength} dev ${client.ifname}`,
      `link set ${client.ifname} up`,
    ]),
  ]);
}

/** Pulls a node's cable: its interface goes down, as when the host loses power. */
export async function setNodeLinkDown(node: NodePlan): Promise<void> {
  await runCommand("ip", ["-n", node.netns, "link", "set", node.ifname, "down"]);
}

/** Brings a node's interface back as a rebooted host has it: primary address only, link up. */
export async function resetNodeLink(plan: ClusterPlan, node: NodePlan): Promise<void> {
  await ipBatch(node.netns, [
    `link set ${node.ifname} down`,
    `address flush dev ${node.ifname}`,
    ...nodeAddressLines(plan, node),
  ]);
}

/** Deletes every namespace of the run (their veths and bridge go with them); missing ones are fine. */
export async function destroyNetwork(plan: ClusterPlan): Promise<void> {
  await Promise.all(
    networkNamespaces(plan).map((netns) =>
      runCommand("ip", ["netns", "delete", netns], { allowFailure: true }),
    ),
  );
}

/** Synchronous {@link destroyNetwork}, for `process.on("exit")` where nothing async runs. */
export function destroyNetworkSync(netnsNames: readonly string[]): void {
  for (const netns of netnsNames) {
    spawnSync("ip", ["netns", "delete", netns], { stdio: "ignore" });
  }
}

/**
 * Cuts (or restores) the cluster links between nodes while each still reaches the gateway, the
 * cloud services and the client: bridge port isolation, a network split between the nodes only.
 */
export async function setNodesIsolated(plan: ClusterPlan, isolated: boolean): Promise<void> {
  await ipBatch(
    plan.bridge.netns,
    plan.nodes.map(
      (node) =>
        `link set dev ${node.bridgePort} type bridge_slave isolated ${isolated ? "on" : "off"}`,
    ),
  );
}
