import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";

// Test helper, not public API: other packages may copy the idea, never import it.
const execFileAsync = promisify(execFile);

/** Prefix of every namespace these tests create; cleanup only ever touches such names. */
export const netnsPrefix = "ocfk-ipr-";

/** Runs `ip args...` and returns stdout; throws with stderr on failure. */
export async function ip(...args: string[]): Promise<string> {
  try {
    const { stdout } = await execFileAsync("ip", args, { env: { ...process.env, LC_ALL: "C" } });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? "";
    throw new Error(`ip ${args.join(" ")} failed: ${stderr.trim()}`, { cause: error });
  }
}

/** Runs a command inside a namespace (`ip netns exec NS ...`) and returns stdout. */
export function inNetns(netns: string, ...command: string[]): Promise<string> {
  return ip("netns", "exec", netns, ...command);
}

/** Creates a network namespace with a random name and loopback up; returns its name. */
export async function createNetns(): Promise<string> {
  const name = `${netnsPrefix}${randomBytes(4).toString("hex")}`;
  await ip("netns", "add", name);
  await ip("-n", name, "link", "set", "lo", "up");
  return name;
}

/** Deletes namespaces created by {@link createNetns}; ignores ones already gone. */
export async function destroyNetns(...names: Array<string | undefined>): Promise<void> {
  for (const name of names) {
    if (!name?.startsWith(netnsPrefix)) continue;
    await ip("netns", "del", name).catch(() => undefined);
  }
}

/** One end of a veth pair. */
export interface VethEnd {
  netns: string;
  dev: string;
  mac: string;
}

/**
 * Creates a veth pair directly between two test namespaces (it never exists in the host's
 * namespace), sets the MACs and brings both ends up. This kernel has no `dummy` module.
 */
export async function createVethPair(a: VethEnd, b: VethEnd): Promise<void> {
  await ip(
    "-n",
    a.netns,
    "link",
    "add",
    a.dev,
    "type",
    "veth",
    "peer",
    "name",
    b.dev,
    "netns",
    b.netns,
  );
  for (const end of [a, b]) {
    await ip("-n", end.netns, "link", "set", end.dev, "address", end.mac);
    await ip("-n", end.netns, "link", "set", end.dev, "up");
  }
}

/** A node namespace linked to a peer namespace by one veth pair, plus a second link on the node. */
export interface Lab {
  /** Namespace under test ("the cluster node"). */
  node: string;
  /** Namespace on the other end of the link ("a neighbour"). */
  peer: string;
  /** Node-side device of the main link. */
  nodeDev: string;
  /** Peer-side device of the main link. */
  peerDev: string;
  nodeMac: string;
  peerMac: string;
  /** Deletes both namespaces (and so every link in them). */
  destroy(): Promise<void>;
}

/**
 * Builds the usual two-namespace lab. The namespaces are deleted again if setup fails half way,
 * so a failing `beforeAll` leaves nothing behind.
 */
export async function createLab(): Promise<Lab> {
  const node = await createNetns();
  let peer: string | undefined;
  try {
    peer = await createNetns();
    const lab: Lab = {
      node,
      peer,
      nodeDev: "vnic0",
      peerDev: "peer0",
      nodeMac: "02:00:17:00:00:11",
      peerMac: "02:00:17:00:00:99",
      destroy: () => destroyNetns(node, peer),
    };
    await createVethPair(
      { netns: node, dev: lab.nodeDev, mac: lab.nodeMac },
      { netns: peer, dev: lab.peerDev, mac: lab.peerMac },
    );
    return lab;
  } catch (error) {
    await destroyNetns(node, peer);
    throw error;
  }
}
