import { type Latency, type Scenario, startEmulator } from "@ocfkit/oci-emulator";
import { type ClientProbe, startClientProbe } from "./client-probe.js";
import { type CloudLab, startCloud } from "./cloud.js";
import { type Cluster, createCluster } from "./cluster.js";
import { settledOn } from "./crm-mon.js";
import { E2eError } from "./errors.js";
import { waitFor } from "./exec.js";
import { ensureOcivipBuilt, ocivipInstaller, ocivipResource } from "./ocivip.js";
import type { ClusterOptions, ClusterPlan } from "./plan.js";
import { servicesAddress } from "./plan.js";
import { ipaddr2Resource, type ResourceSpec } from "./resources.js";
import { killQuietly, trackDisposable } from "./teardown.js";
import { emulatorCertificate } from "./tls.js";
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

/** The floating-IP agents the lab knows how to set up. */
export type VipAgent = "IPaddr2" | "ocivip";

/** Options of {@link createFailoverLab}: the cluster's, plus which resource floats. */
export interface FailoverLabOptions extends ClusterOptions {
  /**
   * `IPaddr2` (default): `ocf:heartbeat:IPaddr2`, the local-only floor. `ocivip`: our agent,
   * installed into the run's OCF root, with the OCI emulator reachable from the nodes.
   */
  readonly agent?: VipAgent;
  /** Overrides the resource the agent choice would create. */
  readonly resource?: ResourceFactory;
  /** Called at each step (the demo's live view). */
  readonly onProgress?: (event: ProgressEvent) => void;
  /** Sampling period of the VIP sampler and the client probe (default 50 ms). */
  readonly sampleIntervalMs?: number;
  /** The OCI emulator's scenario for `ocivip` (default: its built-in two-node scenario). */
  readonly scenario?: Scenario;
  /**
   * The emulator's latency profile for `ocivip`: `zero` (default) or `realistic` (API 40-250 ms,
   * federation 100-400 ms, metadata 1-5 ms), as real OCI calls take tens to hundreds of ms.
   */
  readonly latency?: Latency;
  /**
   * Serve the emulator over HTTPS (as OCI's API and federation endpoints are), with a self-signed
   * certificate the nodes' agents trust through NODE_EXTRA_CA_CERTS. Default: plain HTTP.
   */
  readonly tls?: boolean;
}

/** A cluster with a floating-IP resource started, a VIP sampler and a client probing it. */
export interface FailoverLab {
  readonly cluster: Cluster;
  readonly resource: ResourceSpec;
  readonly sampler: VipSampler;
  readonly probe: ClientProbe;
  /** The OCI emulator as the nodes see it (ocivip labs only). */
  readonly cloud: CloudLab | undefined;
  readonly sampleIntervalMs: number;
  /** Node the resource runs on per crm_mon (undefined if stopped or active twice). */
  owner(): Promise<string | undefined>;
  /** Reports a progress step to `onProgress` (at `t`, default now). */
  progress(phase: string, detail?: string, t?: number): void;
  /** True when someone follows progress (scenarios then also report log events live). */
  readonly live: boolean;
  destroy(): Promise<void>;
}

/**
 * Brings up the cluster, creates the resource (default IPaddr2 on node1), waits until it is
 * Started and the client gets replies, with the sampler and the probe running throughout.
 */
export async function createFailoverLab(options: FailoverLabOptions = {}): Promise<FailoverLab> {
  const {
    agent = "IPaddr2",
    resource: factory,
    onProgress,
    sampleIntervalMs = 50,
    scenario,
    latency,
    tls = false,
    ...clusterOptions
  } = options;
  const progress = (phase: string, detail?: string, t = Date.now()) =>
    onProgress?.({ phase, t, ...(detail === undefined ? {} : { detail }) });
  if (agent === "ocivip") {
    progress("agent: checking the ocivip build", "builds it when its sources are newer");
    await ensureOcivipBuilt();
  }
  progress("cluster: starting nodes");
  // HTTPS: the cluster daemons (and so the agents they run) inherit NODE_EXTRA_CA_CERTS.
  const certificate =
    agent === "ocivip" && tls ? emulatorCertificate([servicesAddress, "127.0.0.1"]) : undefined;
  const previousCa = process.env.NODE_EXTRA_CA_CERTS;
  if (certificate) process.env.NODE_EXTRA_CA_CERTS = certificate.certPath;
  const restoreCa = () => {
    if (!certificate) return;
    if (previousCa === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
    else process.env.NODE_EXTRA_CA_CERTS = previousCa;
    certificate.remove();
  };
  // The emulator (key generation) starts while the nodes boot.
  const emulatorStart =
    agent === "ocivip"
      ? startEmulator({
          ...(scenario ? { scenario } : {}),
          ...(latency ? { latency } : {}),
          ...(certificate ? { tls: { key: certificate.key, cert: certificate.cert } } : {}),
        })
      : undefined;
  emulatorStart?.catch(() => undefined);
  const cluster = await createCluster(
    clusterOptions,
    agent === "ocivip" ? { installAgents: ocivipInstaller() } : {},
  ).catch(async (error: unknown) => {
    await (await emulatorStart?.catch(() => undefined))?.stop();
    restoreCa();
    throw error;
  });
  const { plan } = cluster;
  progress("cluster: all nodes Online", `DC elected, tokenMs ${plan.options.tokenMs}`);
  let sampler: VipSampler | undefined;
  let probe: ClientProbe | undefined;
  let cloud: CloudLab | undefined;
  const destroy = async () => {
    untrack();
    sampler?.stop();
    probe?.stop();
    await cloud?.close();
    await cluster.destroy();
    restoreCa();
  };
  const untrack = trackDisposable({
    dispose: destroy,
    disposeSync: () => {
      sampler?.stop();
      probe?.stop();
      for (const pid of cloud?.pids ?? []) killQuietly(pid);
    },
  });
  try {
    const preferredNode = plan.nodes[0]?.name ?? "node1";
    if (agent === "ocivip") {
      cloud = await startCloud(plan, emulatorStart);
      progress("cloud: OCI emulator reachable", cloud.urls.api);
    }
    const resource = factory
      ? await factory({ plan, cluster })
      : cloud
        ? ocivipResource({
            cloud,
            ip: plan.options.vip,
            nodes: plan.nodes.map((n) => n.name),
            preferredNode,
          })
        : ipaddr2Resource({ ip: plan.options.vip, preferredNode });
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
      timeoutMs: 15_000,
      intervalMs: 50,
    }).catch((error: unknown) => {
      const holders = sampler?.latest()?.active.join(", ") || "none";
      throw new E2eError(
        "SCENARIO_FAILED",
        `${(error as Error).message} (${liveProbe.describe()}; VIP held by: ${holders})`,
        { cause: error },
      );
    });
    progress("client: VIP answers");
    const lab: FailoverLab = {
      cluster,
      resource,
      sampler,
      probe,
      cloud,
      sampleIntervalMs,
      async owner() {
        const nodes = settledOn(await cluster.status(), resource.id);
        return nodes.length === 1 ? nodes[0] : undefined;
      },
      progress,
      live: onProgress !== undefined,
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
