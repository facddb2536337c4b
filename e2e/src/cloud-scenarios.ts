import type { FaultRule } from "@ocfkit/oci-emulator";
import type { ClientArpView } from "./client-probe.js";
import { readClientArp } from "./client-probe.js";
import type { CloudLab } from "./cloud.js";
import { settledOn } from "./crm-mon.js";
import { E2eError } from "./errors.js";
import { sleep, waitFor } from "./exec.js";
import type { FailoverLab } from "./lab.js";
import { collect, type ScenarioResult } from "./scenarios.js";
import { eventsFromLog, mergeTimeline, type TimelineEvent } from "./timeline.js";

// What an "OCI API outage" refuses: the VirtualNetwork calls, not the metadata service.
const apiOperations: FaultRule["operation"][] = [
  "ListPrivateIps",
  "GetPrivateIp",
  "CreatePrivateIp",
  "UpdatePrivateIp",
  "DeletePrivateIp",
  "GetVnic",
  "GetSubnet",
  "ListVnicAttachments",
];

function requireCloud(lab: FailoverLab): CloudLab {
  if (!lab.cloud)
    throw new E2eError("BAD_OPTION", 'this scenario needs a lab created with agent: "ocivip"');
  return lab.cloud;
}

async function requireOwner(lab: FailoverLab): Promise<string> {
  const owner = await lab.owner();
  if (!owner)
    throw new E2eError("SCENARIO_FAILED", `${lab.resource.id} is not running on exactly one node`);
  return owner;
}

/** A kill during an OCI API outage, and how many requests the outage refused. */
export interface OutageResult extends ScenarioResult {
  readonly outageMs: number;
  /** API requests answered 503 by the injected outage. */
  readonly refusedRequests: number;
  /**
   * `moved`: the start rode out the outage. `failed-then-recovered`: the start failed with a
   * reported reason (`failure`), and a `crm_resource --cleanup` after the outage moved the VIP.
   */
  readonly outcome: "moved" | "failed-then-recovered";
  /** The exit reason Pacemaker recorded for the failed start, if it failed. */
  readonly failure: string | undefined;
}

/**
 * The owner dies while the OCI API answers 503 to every VirtualNetwork call; the outage lasts
 * `outageMs` (default 3 s) from the first refused request, so it always hits the new owner's
 * start. The move must still complete once the API is back, within the start timeout.
 */
export async function runOutageScenario(lab: FailoverLab, outageMs = 3000): Promise<OutageResult> {
  const cloud = requireCloud(lab);
  const ownerBefore = await requireOwner(lab);
  for (const operation of apiOperations) {
    cloud.emulator.faults.add({ operation, status: 503, code: "ServiceUnavailable" });
  }
  lab.progress("cloud: OCI API outage begins", "every VirtualNetwork call answers 503");
  const { killedAt } = await lab.cluster.killNode(ownerBefore);
  const refused = () =>
    cloud.emulator
      .requestLog()
      .filter((r) => r.fault !== undefined && Date.parse(r.time) >= killedAt);
  const healed = waitFor("a request refused by the outage", async () => refused()[0], {
    timeoutMs: 30_000,
    intervalMs: 100,
  })
    .then(() => sleep(outageMs))
    .finally(() => {
      cloud.emulator.faults.clear();
      lab.progress("cloud: OCI API back");
    });
  try {
    const id = lab.resource.id;
    const first = await lab.cluster.waitForStatus(
      `${id} moved, or its start failure reported`,
      (s) => {
        const nodes = settledOn(s, id);
        const moved = nodes.length === 1 && nodes[0] !== ownerBefore;
        return moved || s.failures.some((f) => f.operation.startsWith(`${id}_start_`));
      },
      60_000,
    );
    const failed = first.failures.find((f) => f.operation.startsWith(`${id}_start_`));
    if (failed) {
      lab.progress("cluster: start failed and reported", failed.exitReason ?? failed.operation);
      await healed;
      // What an operator does once the API is back: clear the failure so Pacemaker retries.
      await lab.cluster.exec(failed.node, "crm_resource", ["--cleanup", "--resource", id]);
    }
    const result = await collect(lab, "kill", ownerBefore, ownerBefore, killedAt, true);
    return {
      ...result,
      outageMs,
      refusedRequests: refused().length,
      outcome: failed ? "failed-then-recovered" : "moved",
      failure: failed?.exitReason,
    };
  } finally {
    await healed.catch(() => undefined);
  }
}

/** A split between the nodes (both reach the cloud and the client), then the heal. */
export interface SplitResult {
  readonly ownerBefore: string;
  readonly ownerAfter: string | undefined;
  /** Nodes that reported the resource Started on themselves during the split. */
  readonly claimedDuringSplit: readonly string[];
  /** Instances holding the VIP in the emulator just before the heal (always at most one). */
  readonly cloudHoldersDuringSplit: readonly string[];
  /** Samples with the VIP on two nodes during the split (expected without fencing). */
  readonly splitDualActiveSamples: number;
  /** Heal → resource on one node and the VIP on exactly that node, ms. */
  readonly convergedMs: number;
  /** Samples with two holders from convergence to the end (must be 0). */
  readonly dualActiveAfterConvergence: number;
  readonly activeAfter: readonly string[];
  readonly cloudHolders: readonly string[];
  readonly arp: ClientArpView;
  readonly events: readonly TimelineEvent[];
}

async function localClaim(lab: FailoverLab, node: string): Promise<boolean> {
  const status = await lab.cluster.status(node).catch(() => undefined);
  const r = status?.resources.find((x) => x.id === lab.resource.id);
  return r?.role === "Started" && r.runningOn.includes(node);
}

/**
 * The nodes lose each other for `splitMs` (bridge port isolation) while both still reach the
 * cloud: without fencing each runs the resource and both VNICs claim the VIP in turn. After the
 * heal the cluster must converge to one owner: one VNIC, one kernel address, the client on its MAC.
 */
export async function runSplitScenario(lab: FailoverLab, splitMs = 10_000): Promise<SplitResult> {
  const cloud = requireCloud(lab);
  const ownerBefore = await requireOwner(lab);
  const nodes = lab.cluster.runningNodes();
  lab.progress("split", "nodes isolated from each other");
  const splitAt = Date.now();
  await lab.cluster.setSplit(true);
  const claimed = new Set<string>();
  while (Date.now() - splitAt < splitMs && claimed.size < nodes.length) {
    for (const node of nodes) if (await localClaim(lab, node)) claimed.add(node);
    await sleep(200);
  }
  const cloudHoldersDuringSplit = cloud.holders(lab.resource.vip);
  const splitDualActiveSamples = lab.sampler.statsSince(splitAt).dualActiveSamples;
  lab.progress("heal", `claimed during split: ${[...claimed].join(", ") || "none"}`);
  const healedAt = Date.now();
  await lab.cluster.setSplit(false);
  const converged = await waitFor(
    "one owner after the heal",
    async () => {
      const status = await lab.cluster.status();
      const settled = settledOn(status, lab.resource.id);
      const owner = settled.length === 1 ? settled[0] : undefined;
      const allOnline = nodes.every((n) => status.nodes.some((s) => s.name === n && s.online));
      const active = lab.sampler.latest()?.active ?? [];
      return owner && allOnline && active.length === 1 && active[0] === owner
        ? { owner, t: Date.now() }
        : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 200 },
  );
  await sleep(1500);
  const end = Date.now();
  const logEvents = await Promise.all(
    nodes.flatMap((node) => {
      const files = lab.cluster.logFiles(node);
      const window = { from: splitAt - 500, to: end, source: node };
      return [
        eventsFromLog({ file: files.corosync, kind: "corosync", ...window }),
        eventsFromLog({ file: files.pacemaker, kind: "pacemaker", ...window }),
      ];
    }),
  );
  return {
    ownerBefore,
    ownerAfter: (await lab.owner()) ?? undefined,
    claimedDuringSplit: [...claimed],
    cloudHoldersDuringSplit,
    splitDualActiveSamples,
    convergedMs: converged.t - healedAt,
    dualActiveAfterConvergence: lab.sampler.statsSince(converged.t).dualActiveSamples,
    activeAfter: lab.sampler.latest()?.active ?? [],
    cloudHolders: cloud.holders(lab.resource.vip),
    arp: await readClientArp(lab.cluster.plan, lab.resource.vip),
    events: mergeTimeline([
      { kind: "trigger", t: splitAt, label: "split", source: "harness" },
      { kind: "trigger", t: healedAt, label: "heal", source: "harness" },
      ...logEvents.flat(),
      ...cloud.events(splitAt, end),
    ]),
  };
}
