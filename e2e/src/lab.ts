import { type ClientProbe, startClientProbe } from "./client-probe.js";
import { type Cluster, createCluster } from "./cluster.js";
import { E2eError } from "./errors.js";
import { waitFor } from "./exec.js";
import type { ClusterOptions, ClusterPlan } from "./plan.js";
import { ipaddr2Resource, type ResourceSpec } from "./resources.js";
import { trackDisposable } from "./teardown.js";
import { startVipSampler, type VipSampler } from "./vip-sampler.js";

/** A step of bringing the lab up or running a scenario, reported as it happens. */
export interface ProgressEvent {
  readonly phase: string;
  /** Wall-clock milliseconds. */
  readonly t: number;
  readonly detail?: string;
}

/** Builds the resource once the cluster exists (so it can point at per-run endpoints). */
export type ResourceFactory = (context: {
  plan: ClusterPlan;
  cluster: Cluster;
}) => ResourceSpec | Promise<ResourceSpec>;

/** Options of {@link createFailoverLab}: the cluster's, plus which resource floats. */
export interface FailoverLabOptions extends ClusterOptions {
  /** Default: `ocf:heartbeat:IPaddr2` on the plan's VIP, preferring node1. */
  readonly resource?: ResourceFactory;
  /** Called at each step (the demo's live view). */
  readonly onProgress?: (event: ProgressEvent) => void;
  /** Sampling period of the VIP sampler and the client probe (default 50 ms). */
  readonly sampleIntervalMs?: number;
}

/** A cluster with a floating-IP resource started, a VIP sampler and a client probing it. */
export interface FailoverLab {
  readonly cluster: Cluster;
  readonly resource: ResourceSpec;
  readonly sampler: VipSampler;
  readonly probe: ClientProbe;
  readonly sampleIntervalMs: number;
  /** Node the resource runs on per crm_mon (undefined if stopped or active twice). */
  owner(): Promise<string | undefined>;
  /** Reports a progress step to `onProgress`. */
  progress(phase: string, detail?: string): void;
  destroy(): Promise<void>;
}

/**
 * Brings up the cluster, creates the resource (default IPaddr2 on node1), waits until it is
 * Started and the client gets replies, with the sampler and the probe running throughout.
 */
export async function createFailoverLab(options: FailoverLabOptions = {}): Promise<FailoverLab> {
  const { resource: factory, onProgress, sampleIntervalMs = 50, ...clusterOptions } = options;
  const progress = (phase: string, detail?: string) =>
    onProgress?.({ phase, t: Date.now(), ...(detail === undefined ? {} : { detail }) });
  progress("cluster: starting nodes");
  const cluster = await createCluster(clusterOptions);
  const { plan } = cluster;
  progress("cluster: all nodes Online", `DC elected, tokenMs ${plan.options.tokenMs}`);
  let sampler: VipSampler | undefined;
  let probe: ClientProbe | undefined;
  const destroy = async () => {
    untrack();
    sampler?.stop();
    probe?.stop();
    await cluster.destroy();
  };
  const untrack = trackDisposable({
    dispose: destroy,
    disposeSync: () => {
      sampler?.stop();
      probe?.stop();
    },
  });
  try {
    const resource = factory
      ? await factory({ plan, cluster })
      : ipaddr2Resource({ ip: plan.options.vip, preferredNode: plan.nodes[0]?.name ?? "node1" });
    sampler = startVipSampler({
      nodes: plan.nodes,
      vip: resource.vip,
      intervalMs: sampleIntervalMs,
    });
    probe = startClientProbe({ plan, vip: resource.vip, intervalMs: sampleIntervalMs });
    progress("resource: creating", `${resource.id} (${resource.agent})`);
    await cluster.createResource(resource);
    const first = resource.preferredNode ?? plan.nodes[0]?.name ?? "node1";
    await cluster.waitResourceOn(resource.id, first, 30_000);
    progress("resource: started", `${resource.id} on ${first}`);
    const since = Date.now();
    const liveProbe = probe;
    await waitFor("a client reply from the VIP", async () => liveProbe.firstReplyAfter(since), {
      timeoutMs: 10_000,
      intervalMs: 50,
    });
    progress("client: VIP answers");
    const lab: FailoverLab = {
      cluster,
      resource,
      sampler,
      probe,
      sampleIntervalMs,
      async owner() {
        const status = await cluster.status();
        const r = status.resources.find((x) => x.id === resource.id);
        return r?.role === "Started" && r.runningOn.length === 1 ? r.runningOn[0] : undefined;
      },
      progress,
      destroy,
    };
    return lab;
  } catch (error) {
    await destroy().catch(() => undefined);
    throw error instanceof E2eError
      ? error
      : new E2eError("SCENARIO_FAILED", `lab setup failed: ${(error as Error).message}`, {
          cause: error,
        });
  }
}
