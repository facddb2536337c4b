import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { E2eError } from "./errors.js";

/** Every namespace this harness creates starts with this, so stale runs can be found and swept. */
export const namespacePrefix = "ocfk-e2e-";

// The TEST-NET blocks (RFC 5737) are the only IPv4 space the harness will ever configure.
const testNets = ["192.0.2.", "198.51.100.", "203.0.113."] as const;

/** True when `address` is an IPv4 address inside one of the RFC 5737 documentation blocks. */
export function isTestNetAddress(address: string): boolean {
  return (
    z.ipv4().safeParse(address).success && testNets.some((prefix) => address.startsWith(prefix))
  );
}

const testNetAddress = z.string().refine(isTestNetAddress, {
  message: "must be an IPv4 address in TEST-NET 192.0.2.0/24, 198.51.100.0/24 or 203.0.113.0/24",
});

/** Options of `createCluster`, validated at the edge. */
export const clusterOptionsSchema = z.object({
  nodes: z.number().int().min(2).max(8).default(2),
  tokenMs: z.number().int().min(300).max(30_000).default(1000),
  dcDeadtime: z
    .string()
    .regex(/^\d+(ms|s)$/)
    .default("2s"),
  clusterName: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,14}$/)
    .default("ocfk"),
  vip: testNetAddress.default("192.0.2.100"),
  stickiness: z.number().int().min(0).default(100),
  startTimeoutMs: z.number().int().positive().default(30_000),
  keepRunDir: z.boolean().default(false),
  baseDir: z.string().optional(),
});

/** What callers may pass to `createCluster` (every field optional). */
export type ClusterOptions = z.input<typeof clusterOptionsSchema>;
/** {@link ClusterOptions} with defaults applied. */
export type ResolvedClusterOptions = z.output<typeof clusterOptionsSchema>;

/** One node's place in the lab: namespace, interface, addresses. */
export interface NodePlan {
  /** 1-based position, also the corosync nodeid. */
  readonly index: number;
  /** Corosync/Pacemaker node name and hostname, e.g. "node1" (the emulator's instance name). */
  readonly name: string;
  readonly netns: string;
  /** The node's interface on the shared segment (inside its namespace). */
  readonly ifname: string;
  readonly address: string;
  readonly mac: string;
  /** The bridge port (inside the bridge namespace) wired to this node. */
  readonly bridgePort: string;
  /** Directory holding the node's private /etc/corosync, /var/lib/pacemaker, logs. */
  readonly dir: string;
}

/** The whole lab's names and addresses, computed before anything is created. */
export interface ClusterPlan {
  readonly runId: string;
  readonly runDir: string;
  readonly options: ResolvedClusterOptions;
  readonly prefixLength: 24;
  readonly nodes: readonly NodePlan[];
  readonly bridge: {
    readonly netns: string;
    readonly ifname: string;
    /** The subnet's gateway address, held by the bridge. */
    readonly gateway: string;
    /** Where cloud services (the emulator) listen, routed through the gateway. */
    readonly servicesAddress: string;
  };
  readonly client: {
    readonly netns: string;
    readonly ifname: string;
    readonly address: string;
    readonly mac: string;
    readonly bridgePort: string;
  };
}

const subnet = "192.0.2.";
/** Where the nodes reach services (the OCI emulator): an address of the bridge namespace. */
export const servicesAddress = "198.51.100.1";
const nodeIfname = "eth0";

/** MAC of the n-th node: 02:00:17:00:00:1n, matching the emulator scenario's VNICs. */
export function nodeMac(index: number): string {
  return `02:00:17:00:00:${String(10 + index).padStart(2, "0")}`;
}

/** Validates options and names everything the run will create (namespaces, addresses, dirs). */
export function planCluster(input: ClusterOptions = {}): ClusterPlan {
  const parsed = clusterOptionsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new E2eError(
      "BAD_OPTION",
      `createCluster option "${issue?.path.join(".") ?? "?"}" ${issue?.message ?? "is invalid"}`,
      { cause: parsed.error },
    );
  }
  const options = parsed.data;
  const runId = randomBytes(3).toString("hex");
  const prefix = `${namespacePrefix}${runId}`;
  const runDir = join(options.baseDir ?? join(tmpdir(), "ocfkit-e2e"), runId);
  const vipHost = Number(options.vip.split(".")[3]);
  const nodes = Array.from({ length: options.nodes }, (_, i): NodePlan => {
    const index = i + 1;
    return {
      index,
      name: `node${index}`,
      netns: `${prefix}-n${index}`,
      ifname: nodeIfname,
      address: `${subnet}${10 + index}`,
      mac: nodeMac(index),
      bridgePort: `port${index}`,
      dir: join(runDir, `node${index}`),
    };
  });
  const vipIsFree =
    options.vip.startsWith(subnet) &&
    vipHost > 10 + options.nodes &&
    vipHost !== 50 &&
    vipHost < 255;
  if (!vipIsFree) {
    throw new E2eError(
      "BAD_OPTION",
      `createCluster option "vip" must be a free address in ${subnet}0/24 (not .1-.${10 + options.nodes}, .50 or .255), got ${options.vip}`,
    );
  }
  return {
    runId,
    runDir,
    options,
    prefixLength: 24,
    nodes,
    bridge: {
      netns: `${prefix}-br`,
      ifname: "br0",
      gateway: `${subnet}1`,
      servicesAddress,
    },
    client: {
      netns: `${prefix}-cl`,
      ifname: nodeIfname,
      address: `${subnet}50`,
      mac: "02:00:17:00:00:50",
      bridgePort: "portc",
    },
  };
}
