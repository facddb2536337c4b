import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Emulator, type Scenario, startEmulator } from "@ocfkit/oci-emulator";
import { bridgeIntoNetns, type NetnsBridge } from "./bridge.js";
import { type BuiltAgent, ensureAgentBuilt } from "./build.js";
import { addNic, addressesOf, createTestNetns, type NicOptions, type TestNetns } from "./netns.js";
import type { ActionResult } from "./upstream.js";

/** The floating IP of the default scenario. */
export const VIP = "192.0.2.100";

/** One emulated instance: its namespace (its interfaces) and its HA_RSCTMP. */
export interface NodeSide {
  readonly name: string;
  readonly ns: TestNetns;
  readonly rscTmp: string;
  /** Addresses (with prefix and label) of `dev` in this node's namespace. */
  addresses(dev: string): { local: string; prefixlen: number; label?: string }[];
}

/** The emulator plus one namespace per node; agents run inside them as new processes. */
export interface World {
  readonly emulator: Emulator;
  readonly agent: BuiltAgent;
  readonly nodes: Record<string, NodeSide>;
  /** The endpoint parameters pointing at the emulator as `instance`. */
  endpoints(instance: string): Record<string, string>;
  /** Runs one action of our agent on `node` (default node1) and waits for it. */
  run(
    action: string,
    params: Record<string, string>,
    options?: { env?: Record<string, string>; node?: string },
  ): Promise<ActionResult>;
  /** Starts one action and returns the child (to kill it half way). */
  spawn(
    action: string,
    params: Record<string, string>,
    options?: { env?: Record<string, string>; node?: string },
  ): ChildProcess;
  /** OCID of `instance`'s VNIC number `index`. */
  vnicId(instance: string, index?: number): string;
  /** VNIC holding `ip` in the emulator now, or undefined. */
  holder(ip: string): string | undefined;
  close(): Promise<void>;
}

/** Options of {@link createWorld}. */
export interface WorldOptions {
  scenario?: Scenario;
  /** Nodes to create and their interfaces; default node1 and node2 with their primary VNIC as ens3. */
  nodes?: Record<string, NicOptions[] | undefined>;
}

const LOOPBACK_URL = /^http:\/\/127\.0\.0\.1:\d+(\/|$)/;

/** Collects a child's output and exit status. */
export function collect(child: ChildProcess, started = performance.now()): Promise<ActionResult> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d) => {
      stdout += d;
    });
    child.stderr?.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (status) =>
      resolve({ status: status ?? -1, stdout, stderr, ms: performance.now() - started }),
    );
  });
}

/**
 * Starts the emulator on the host's loopback (the test keeps its library API: faults, request log,
 * state) and one namespace per node, bridged so an agent inside reaches the emulator at the very
 * same URLs. Nothing else is reachable from the namespaces; non-loopback endpoints are refused.
 */
export async function createWorld(options: WorldOptions = {}): Promise<World> {
  const agent = await ensureAgentBuilt();
  const emulator = await startEmulator(options.scenario ? { scenario: options.scenario } : {});
  const nodes: Record<string, NodeSide> = {};
  const bridges: NetnsBridge[] = [];
  const port = Number(new URL(emulator.urls.api).port);
  const cleanup = async () => {
    for (const b of bridges) await b.close();
    for (const n of Object.values(nodes)) {
      n.ns.remove();
      rmSync(n.rscTmp, { recursive: true, force: true });
    }
    await emulator.stop();
  };
  try {
    const wanted = options.nodes ?? { node1: undefined, node2: undefined };
    for (const [name, nicList] of Object.entries(wanted)) {
      const inst = emulator.scenario.instances.find((i) => i.name === name);
      if (!inst) throw new Error(`scenario has no instance ${name}`);
      const primary = inst.vnics[0]!;
      const ns = createTestNetns();
      nodes[name] = {
        name,
        ns,
        rscTmp: mkdtempSync(join(tmpdir(), `ocfk-rsctmp-${name}-`)),
        addresses: (dev) => addressesOf(ns, dev),
      };
      const nics = nicList ?? [
        {
          name: "ens3",
          mac: primary.macAddress,
          address: `${primary.privateIp}/24`,
          defaultRoute: true,
        },
      ];
      for (const nic of nics) addNic(ns, nic);
      bridges.push(await bridgeIntoNetns(ns, port));
    }
  } catch (error) {
    await cleanup();
    throw error;
  }
  const endpoints = (instance: string): Record<string, string> => {
    const urls = {
      metadata_endpoint: emulator.urls.imds[instance]!,
      federation_endpoint: emulator.urls.federation,
      api_endpoint: emulator.urls.api,
    };
    for (const url of Object.values(urls)) {
      if (!LOOPBACK_URL.test(url)) throw new Error(`refusing a non-loopback endpoint: ${url}`);
    }
    return urls;
  };
  const spawnAgent: World["spawn"] = (action, params, opts = {}) => {
    const node = nodes[opts.node ?? "node1"]!;
    const vars: Record<string, string> = {
      PATH: "/usr/sbin:/usr/bin:/sbin:/bin",
      OCF_ROOT: "/usr/lib/ocf",
      OCF_RESOURCE_INSTANCE: "vip",
      HA_RSCTMP: node.rscTmp,
      // No background warm-up unless a test asks (params warm_standby=true): tests count requests.
      OCF_RESKEY_warm_standby: "false",
      ...opts.env,
    };
    for (const [k, v] of Object.entries({ ...endpoints(node.name), ...params })) {
      vars[`OCF_RESKEY_${k}`] = v;
    }
    const assignments = Object.entries(vars).map(([k, v]) => `${k}=${v}`);
    return spawn(
      "ip",
      [
        "netns",
        "exec",
        node.ns.name,
        "env",
        "-i",
        ...assignments,
        process.execPath,
        agent.runner,
        action,
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
  };
  return {
    emulator,
    agent,
    nodes,
    endpoints,
    spawn: spawnAgent,
    run: (action, params, opts) => {
      const started = performance.now();
      return collect(spawnAgent(action, params, opts), started);
    },
    vnicId: (name, index = 0) =>
      emulator.scenario.instances.find((i) => i.name === name)!.vnics[index]!.id,
    holder: (ip) => emulator.state().privateIps.find((p) => p.ipAddress === ip)?.vnicId,
    close: cleanup,
  };
}
