import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { createAuthkey, renderCorosyncConf } from "./corosync-conf.js";
import { type ClusterStatus, parseCrmMon, settledOn } from "./crm-mon.js";
import { E2eError } from "./errors.js";
import { type CommandResult, type RunOptions, waitFor } from "./exec.js";
import {
  createNetwork,
  destroyNetwork,
  networkNamespaces,
  resetNodeLink,
  setNodeLinkDown,
  setNodesIsolated,
} from "./network.js";
import { createSeedCib, nodeLogFiles, prepareNodeFiles, prepareOcfRoot } from "./node-files.js";
import {
  execInNode,
  hostResourceDirInNode,
  killMountNamespace,
  type NodeProcesses,
  pidsInMountNamespace,
  startNodeProcesses,
} from "./node-process.js";
import { type ClusterOptions, type ClusterPlan, type NodePlan, planCluster } from "./plan.js";
import { createResourceWith, type ResourceSpec } from "./resources.js";
import {
  destroyRunSync,
  killQuietly,
  type RunRecord,
  sweepStaleRuns,
  trackDisposable,
  writeRunRecord,
} from "./teardown.js";

/** What {@link Cluster.killNode} did and when. */
export interface NodeKill {
  /** Wall-clock milliseconds of the SIGKILL. */
  readonly killedAt: number;
  readonly pids: readonly number[];
}

/** A running N-node Corosync + Pacemaker cluster in namespaces, with a client on its segment. */
export interface Cluster {
  readonly plan: ClusterPlan;
  /** Runs a command inside a node's namespaces. */
  exec(
    node: string,
    command: string,
    args: readonly string[],
    options?: RunOptions,
  ): Promise<CommandResult>;
  /** `crm_mon --output-as=xml` on `via` (default: the first running node), typed. */
  status(via?: string): Promise<ClusterStatus>;
  /** Polls {@link Cluster.status} until `predicate` holds. */
  waitForStatus(
    what: string,
    predicate: (status: ClusterStatus) => boolean,
    timeoutMs?: number,
  ): Promise<ClusterStatus>;
  /** Waits until every running node is Online with a DC and quorum. */
  waitOnline(timeoutMs?: number): Promise<ClusterStatus>;
  /** Creates a resource with `pcs` on a node (plus per-node rules and a location preference). */
  createResource(spec: ResourceSpec): Promise<void>;
  /** Waits until resource `id` is Started on exactly `node`. */
  waitResourceOn(id: string, node: string, timeoutMs?: number): Promise<ClusterStatus>;
  /** SIGKILLs a node's whole process tree and pulls its link, as a power loss does. */
  killNode(node: string): Promise<NodeKill>;
  /** Puts a node in standby (or back) through the CIB. */
  setStandby(node: string, standby: boolean): Promise<void>;
  /** Boots a killed node again (fresh link, same state dirs) and waits until all are Online. */
  rejoin(node: string): Promise<ClusterStatus>;
  /** Splits the nodes from each other (each still reaches gateway, cloud and client), or heals it. */
  setSplit(split: boolean): Promise<void>;
  /** Names of the nodes whose processes are running. */
  runningNodes(): string[];
  /** Host paths of a node's corosync and pacemaker logs. */
  logFiles(node: string): { corosync: string; pacemaker: string };
  /** Kills everything by PID, deletes the namespaces and (unless kept) the run directory. */
  destroy(): Promise<void>;
}

/** Agents under test, installed into the run's own OCF root that every node's Pacemaker sees. */
export interface AgentInstaller {
  /** Provider directories the installer writes (they shadow the host's of the same name). */
  readonly providers: readonly string[];
  /** Installs into `ocfRoot` (e.g. `ocivip install --provider ocfkit --ocf-root <ocfRoot>`). */
  install(ocfRoot: string): Promise<void>;
}

/** Code the cluster runs at set points of its life (not plain data, so not in the options). */
export interface ClusterHooks {
  readonly installAgents?: AgentInstaller;
}

/** Where runs keep their files unless `baseDir` says otherwise. */
export const defaultBaseDir = "/tmp/ocfkit-e2e";

/**
 * Brings up an N-node cluster (default 2): namespaces and bridge, corosync.conf (knet + crypto),
 * seeded CIB, corosync and pacemakerd per node; resolves once all nodes are Online with quorum.
 * @example
 * const cluster = await createCluster({ nodes: 2, tokenMs: 1000 });
 * try { console.log((await cluster.status()).dc); } finally { await cluster.destroy(); }
 */
export async function createCluster(
  options: ClusterOptions = {},
  hooks: ClusterHooks = {},
): Promise<Cluster> {
  const plan = planCluster({ baseDir: defaultBaseDir, ...options });
  sweepStaleRuns(plan.options.baseDir ?? defaultBaseDir);
  const running = new Map<string, NodeProcesses>();
  const record: RunRecord = {
    ownerPid: process.pid,
    netns: networkNamespaces(plan),
    holders: [],
    helperPids: [],
  };
  let destroyed = false;
  const saveRecord = () => {
    record.holders = [...running.values()].map((p) => ({
      pid: p.holderPid,
      mountNamespace: p.mountNamespace,
    }));
    writeRunRecord(plan.runDir, record);
  };

  const nodePlan = (name: string): NodePlan => {
    const node = plan.nodes.find((n) => n.name === name);
    if (!node)
      throw new E2eError(
        "BAD_OPTION",
        `no node named "${name}" (have ${plan.nodes.map((n) => n.name).join(", ")})`,
      );
    return node;
  };
  const processesOf = (name: string): NodeProcesses => {
    const processes = running.get(nodePlan(name).name);
    if (!processes)
      throw new E2eError("NODE_NOT_RUNNING", `${name} is not running (killed or not started)`);
    return processes;
  };
  const firstRunning = (): string => {
    const name = plan.nodes.find((n) => running.has(n.name))?.name;
    if (!name) throw new E2eError("NODE_NOT_RUNNING", "no node of the cluster is running");
    return name;
  };
  let ocfResourceDir: string | undefined;
  const bootNode = async (node: NodePlan) => {
    const processes = await startNodeProcesses(node, ocfResourceDir);
    running.set(node.name, processes);
    saveRecord();
  };

  const cluster: Cluster = {
    plan,
    exec(node, command, args, runOptions) {
      if (destroyed) throw new E2eError("TORN_DOWN", "the cluster was destroyed");
      return execInNode(processesOf(node).holderPid, command, args, runOptions);
    },
    async status(via) {
      const result = await cluster.exec(
        via ?? firstRunning(),
        "crm_mon",
        ["--one-shot", "--output-as=xml"],
        {
          timeoutMs: 10_000,
        },
      );
      return parseCrmMon(result.stdout);
    },
    waitForStatus(what, predicate, timeoutMs = 20_000) {
      return waitFor(
        what,
        async () => {
          const status = await cluster.status();
          return predicate(status) ? status : undefined;
        },
        { timeoutMs, intervalMs: 100 },
      );
    },
    waitOnline(timeoutMs = plan.options.startTimeoutMs) {
      return cluster.waitForStatus(
        `${[...running.keys()].join(", ")} Online with a DC`,
        (s) =>
          s.dc !== undefined &&
          s.quorate &&
          [...running.keys()].every((name) =>
            s.nodes.some((n) => n.name === name && n.online && !n.pending),
          ),
        timeoutMs,
      );
    },
    async createResource(spec) {
      const via = firstRunning();
      const preferred =
        spec.preferredNode === undefined ? undefined : nodePlan(spec.preferredNode).name;
      await createResourceWith(
        (command, args) => cluster.exec(via, command, args, { timeoutMs: 30_000 }),
        {
          ...spec,
          ...(preferred === undefined ? {} : { preferredNode: preferred }),
        },
      );
    },
    waitResourceOn(id, node, timeoutMs = 20_000) {
      return cluster.waitForStatus(
        `${id} Started on ${node}`,
        (s) => settledOn(s, id).join() === node,
        timeoutMs,
      );
    },
    async killNode(name) {
      const node = nodePlan(name);
      const processes = processesOf(name);
      // Power loss: the cable goes first, so nothing the dead node's kernel still holds answers.
      const killedAt = Date.now();
      await setNodeLinkDown(node);
      const pids = await killMountNamespace(processes.mountNamespace);
      running.delete(node.name);
      saveRecord();
      return { killedAt, pids };
    },
    async setStandby(name, standby) {
      await cluster.exec(firstRunning(), "crm_attribute", [
        "--node",
        nodePlan(name).name,
        "--name",
        "standby",
        "--update",
        standby ? "on" : "off",
        "--lifetime",
        "forever",
      ]);
    },
    async rejoin(name) {
      const node = nodePlan(name);
      if (running.has(node.name))
        throw new E2eError("BAD_OPTION", `${name} is still running: kill it first`);
      await resetNodeLink(plan, node);
      await bootNode(node);
      return cluster.waitOnline();
    },
    setSplit: (split) => setNodesIsolated(plan, split),
    runningNodes: () => [...running.keys()],
    logFiles: (name) => nodeLogFiles(nodePlan(name)),
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      untrack();
      for (const processes of running.values()) {
        await killMountNamespace(processes.mountNamespace).catch(() => undefined);
      }
      running.clear();
      await destroyNetwork(plan);
      if (!plan.options.keepRunDir) await rm(plan.runDir, { recursive: true, force: true });
      else saveRecord();
    },
  };

  const untrack = trackDisposable({
    dispose: () => cluster.destroy(),
    disposeSync: () => {
      destroyed = true;
      for (const p of running.values()) {
        for (const pid of pidsInMountNamespace(p.mountNamespace)) killQuietly(pid);
      }
      destroyRunSync(record);
    },
  });
  try {
    await mkdir(plan.runDir, { recursive: true });
    saveRecord();
    const corosyncConf = renderCorosyncConf({
      clusterName: plan.options.clusterName,
      tokenMs: plan.options.tokenMs,
      nodes: plan.nodes.map((n) => ({ name: n.name, nodeid: n.index, address: n.address })),
    });
    const authkey = createAuthkey();
    const cib = await createSeedCib(plan.runDir, plan.options);
    await Promise.all(
      plan.nodes.map((node) => prepareNodeFiles(node, { corosyncConf, authkey, cib })),
    );
    if (hooks.installAgents) {
      const ocfRoot = join(plan.runDir, "ocf");
      ocfResourceDir = await prepareOcfRoot(
        ocfRoot,
        hostResourceDirInNode,
        hooks.installAgents.providers,
      );
      await hooks.installAgents.install(ocfRoot);
    }
    await createNetwork(plan);
    await Promise.all(plan.nodes.map(bootNode));
    await cluster.waitOnline();
    return cluster;
  } catch (error) {
    await cluster.destroy().catch(() => undefined);
    throw error;
  }
}
