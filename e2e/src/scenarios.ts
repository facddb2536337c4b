import { type ClientArpView, readClientArp } from "./client-probe.js";
import { settledOn } from "./crm-mon.js";
import { E2eError } from "./errors.js";
import { sleep, waitFor } from "./exec.js";
import type { FailoverLab } from "./lab.js";
import { eventsFromLog, mergeTimeline, type TimelineEvent } from "./timeline.js";

/** Which way the VIP was pushed. */
export type ScenarioName = "kill" | "standby" | "rejoin" | "unstandby";

/** Everything one scenario run measured, ready for assertions, the report and the benchmark. */
export interface ScenarioResult {
  readonly scenario: ScenarioName;
  /** The node that was killed, put in standby, or brought back. */
  readonly subject: string;
  readonly agent: string;
  readonly tokenMs: number;
  readonly ownerBefore: string | undefined;
  readonly ownerAfter: string | undefined;
  /** Wall-clock ms of the kill / standby / rejoin. */
  readonly triggeredAt: number;
  /** Trigger → the VIP is up on exactly the new owner (sampler), ms. */
  readonly addressUpMs: number | undefined;
  /** Trigger → first client reply after the move, ms. */
  readonly clientReplyMs: number | undefined;
  /** Client attempts without reply between trigger and first reply after the move. */
  readonly clientLostReplies: number;
  readonly samples: number;
  /** Samples with the VIP live on two nodes at once (must be 0). */
  readonly dualActiveSamples: number;
  /** Nodes holding the VIP on an up link at the end. */
  readonly activeAfter: readonly string[];
  readonly arp: ClientArpView;
  /** Instances whose VNIC holds the VIP in the emulator at the end (ocivip labs; else undefined). */
  readonly cloudHolders: readonly string[] | undefined;
  readonly events: readonly TimelineEvent[];
}

/** Deadline for the resource to settle on its new node after a trigger (token 1000 → ≈ 3 s). */
const settleTimeoutMs = 30_000;

function macOf(lab: FailoverLab, node: string | undefined): string | undefined {
  return lab.cluster.plan.nodes.find((n) => n.name === node)?.mac;
}

/**
 * While a scenario waits, reports each new timeline event (token lost, membership, start...) as
 * progress as soon as a log shows it, so a live view follows the failover as it happens.
 */
function watchEvents(lab: FailoverLab, from: number): () => void {
  if (!lab.live) return () => undefined;
  const seen = new Set<string>();
  let busy = false;
  const poll = async () => {
    if (busy) return;
    busy = true;
    const now = Date.now();
    const found = await Promise.all(
      lab.cluster.runningNodes().flatMap((node) => {
        const files = lab.cluster.logFiles(node);
        const window = { from, to: now + 1000, source: node };
        return [
          eventsFromLog({ file: files.corosync, kind: "corosync", ...window }),
          eventsFromLog({ file: files.pacemaker, kind: "pacemaker", ...window }),
        ];
      }),
    );
    const cloudEvents = lab.cloud?.events(from + 500, now) ?? [];
    for (const event of mergeTimeline([...found.flat(), ...cloudEvents])) {
      const key = `${event.kind}|${event.label}`;
      if (seen.has(key)) continue;
      seen.add(key);
      lab.progress(`${event.source}: ${event.label}`, undefined, event.t);
    }
    busy = false;
  };
  const timer = setInterval(() => void poll(), 250);
  return () => clearInterval(timer);
}

/** Waits for the outcome of a trigger and gathers every measurement into a {@link ScenarioResult}. */
export async function collect(
  lab: FailoverLab,
  scenario: ScenarioName,
  subject: string,
  ownerBefore: string | undefined,
  triggeredAt: number,
  expectMove: boolean,
): Promise<ScenarioResult> {
  const stopWatching = watchEvents(lab, triggeredAt - 500);
  try {
    return await measure(lab, scenario, subject, ownerBefore, triggeredAt, expectMove);
  } finally {
    stopWatching();
  }
}

async function measure(
  lab: FailoverLab,
  scenario: ScenarioName,
  subject: string,
  ownerBefore: string | undefined,
  triggeredAt: number,
  expectMove: boolean,
): Promise<ScenarioResult> {
  const { cluster, sampler, probe, resource } = lab;
  let ownerAfter = ownerBefore;
  if (expectMove) {
    const status = await cluster.waitForStatus(
      `${resource.id} Started on a node other than ${ownerBefore}`,
      (s) => {
        const nodes = settledOn(s, resource.id);
        return nodes.length === 1 && nodes[0] !== ownerBefore;
      },
      settleTimeoutMs,
    );
    ownerAfter = settledOn(status, resource.id)[0];
    lab.progress("cluster: resource started elsewhere", `${resource.id} on ${ownerAfter}`);
  } else {
    ownerAfter = await lab.owner();
  }
  const owner = ownerAfter ?? "?";
  const addressUp = await waitFor(
    `VIP up on ${owner} only`,
    async () => sampler.firstOwnedBy(owner, triggeredAt),
    {
      timeoutMs: 10_000,
      intervalMs: 50,
    },
  );
  lab.progress("kernel: VIP up on the new owner", owner);
  // After a move only the new owner can answer; the sampler may see its address up to one
  // period late, so a reply sent within that period before the sample still counts.
  const replyFrom = expectMove
    ? Math.max(triggeredAt, addressUp.t - lab.sampleIntervalMs)
    : triggeredAt;
  const reply = await waitFor(
    "a client reply after the move",
    async () => probe.firstReplyAfter(replyFrom),
    {
      timeoutMs: 15_000,
      intervalMs: 50,
    },
  );
  lab.progress("client: first reply after the move");
  const arp = await readClientArp(cluster.plan, resource.vip);
  const stats = sampler.statsSince(triggeredAt);
  const end = Date.now();
  const logEvents = await Promise.all(
    cluster.runningNodes().flatMap((node) => {
      const files = cluster.logFiles(node);
      const window = { from: triggeredAt - 500, to: end };
      return [
        eventsFromLog({ file: files.corosync, source: node, kind: "corosync", ...window }),
        eventsFromLog({ file: files.pacemaker, source: node, kind: "pacemaker", ...window }),
      ];
    }),
  );
  const events = mergeTimeline([
    { kind: "trigger", t: triggeredAt, label: `${scenario} ${subject}`, source: "harness" },
    ...logEvents.flat(),
    ...(lab.cloud?.events(triggeredAt, end) ?? []),
    { kind: "address-up", t: addressUp.t, label: `VIP up on ${owner}`, source: "sampler" },
    { kind: "client-reply", t: reply.t + reply.ms, label: "first client reply", source: "client" },
  ]);
  return {
    scenario,
    subject,
    agent: resource.agent,
    tokenMs: cluster.plan.options.tokenMs,
    ownerBefore,
    ownerAfter,
    triggeredAt,
    addressUpMs: addressUp.t - triggeredAt,
    clientReplyMs: reply.t + reply.ms - triggeredAt,
    clientLostReplies: probe.lostBetween(triggeredAt, reply.t),
    samples: stats.samples,
    dualActiveSamples: stats.dualActiveSamples,
    activeAfter: sampler.latest()?.active ?? [],
    arp,
    cloudHolders: lab.cloud?.holders(resource.vip),
    events,
  };
}

async function requireOwner(lab: FailoverLab): Promise<string> {
  const owner = await lab.owner();
  if (!owner)
    throw new E2eError("SCENARIO_FAILED", `${lab.resource.id} is not running on exactly one node`);
  return owner;
}

/** Power loss of the VIP owner (or `victim`): SIGKILL of its whole tree and link down. */
export async function runKillScenario(lab: FailoverLab, victim?: string): Promise<ScenarioResult> {
  const ownerBefore = await requireOwner(lab);
  const subject = victim ?? ownerBefore;
  lab.progress("kill", `SIGKILL every process of ${subject}, link down`);
  const { killedAt } = await lab.cluster.killNode(subject);
  return collect(lab, "kill", subject, ownerBefore, killedAt, subject === ownerBefore);
}

/** Graceful move: the owner goes into standby and Pacemaker stops, then starts, the VIP elsewhere. */
export async function runStandbyScenario(lab: FailoverLab, node?: string): Promise<ScenarioResult> {
  const ownerBefore = await requireOwner(lab);
  const subject = node ?? ownerBefore;
  lab.progress("standby", subject);
  const triggeredAt = Date.now();
  await lab.cluster.setStandby(subject, true);
  return collect(lab, "standby", subject, ownerBefore, triggeredAt, subject === ownerBefore);
}

/**
 * A node comes back (rebooted after a kill, or out of standby); with stickiness above its
 * location preference the VIP must stay where it is. Observes for `observeMs` afterwards.
 */
export async function runReturnScenario(
  lab: FailoverLab,
  node: string,
  observeMs = 3000,
): Promise<ScenarioResult> {
  const ownerBefore = await requireOwner(lab);
  const killed = !lab.cluster.runningNodes().includes(node);
  lab.progress(killed ? "rejoin" : "unstandby", node);
  const triggeredAt = Date.now();
  if (killed) await lab.cluster.rejoin(node);
  else await lab.cluster.setStandby(node, false);
  await lab.cluster.waitForStatus(`${node} Online and active`, (s) =>
    s.nodes.some((n) => n.name === node && n.online && !n.standby && !n.pending),
  );
  await sleep(observeMs);
  return collect(lab, killed ? "rejoin" : "unstandby", node, ownerBefore, triggeredAt, false);
}

/** The MAC the client must resolve the VIP to after the scenario (the owner's interface). */
export function expectedMac(lab: FailoverLab, result: ScenarioResult): string | undefined {
  return macOf(lab, result.ownerAfter);
}
