import type { ProbeAttempt, ScenarioResult, TimelineEvent, TimelineKind } from "@ocfkit/e2e";

/**
 * The layers an outage is shared between: `pacemaker` includes the agent's own work in its start
 * (all of it for IPaddr2; for ocivip all but the time spent waiting for OCI).
 */
export type Layer = "corosync" | "pacemaker" | "OCI API" | "kernel/ARP → client";

/** One slice of the outage: from the previous milestone to this one. */
export interface Phase {
  readonly layer: Layer;
  /** What ended this slice, e.g. "new membership". */
  readonly name: string;
  /** Seconds after the kill at which the slice began and ended. */
  readonly from: number;
  readonly to: number;
  readonly seconds: number;
  /** Share of the outage (kill → first client reply), 0-100. */
  readonly percent: number;
}

/** The outage split into consecutive phases, and per-layer totals. */
export interface Breakdown {
  /** Kill → first client reply, seconds (undefined without a reply). */
  readonly outage: number | undefined;
  readonly phases: readonly Phase[];
  readonly byLayer: readonly { layer: Layer; seconds: number; percent: number }[];
  /** Milestones seen only after the client already had its reply. */
  readonly afterReply: readonly { name: string; at: number }[];
  /**
   * When Pacemaker logged the start's result, seconds after the kill: not a slice of its own (the
   * address is up and answering before or while the start returns), shown beside the table.
   */
  readonly startFinished: number | undefined;
}

const milestones: readonly { kind: TimelineKind; layer: Layer; name: string }[] = [
  { kind: "token-lost", layer: "corosync", name: "token lost (failure detected)" },
  { kind: "membership", layer: "corosync", name: "new membership formed" },
  { kind: "start-initiated", layer: "pacemaker", name: "start begun" },
  { kind: "cloud-request", layer: "OCI API", name: "agent's first OCI call" },
  { kind: "cloud-move", layer: "OCI API", name: "OCI confirmed the move" },
  // The agent puts the address on the interface as part of its start: Pacemaker's (agent's) share.
  { kind: "address-up", layer: "pacemaker", name: "address up on the new owner (agent's start)" },
  { kind: "client-reply", layer: "kernel/ARP → client", name: "first client reply" },
];

/** Layers in the order a failover passes them. */
export const layers: readonly Layer[] = ["corosync", "pacemaker", "OCI API", "kernel/ARP → client"];

/**
 * The first event of `kind` after the kill concerning the new owner (or any, for kinds without a
 * node); the agent's first OCI call only counts from the start of the VIP on.
 */
export function milestone(result: ScenarioResult, kind: TimelineKind): TimelineEvent | undefined {
  const after = result.ownerAfter;
  const mine = (e: TimelineEvent) =>
    after === undefined ||
    (kind === "start-initiated" || kind === "start-done"
      ? e.label.includes(`on ${after}`)
      : kind === "cloud-request"
        ? e.label.includes(`from ${after} `) || e.label.includes(`from ${after}`)
        : true);
  // The agent's first OCI call of the failover comes after the start began: an earlier one is a
  // monitor or a probe of the standby node, not part of the move.
  const since =
    kind === "cloud-request"
      ? (milestone(result, "start-initiated")?.t ?? result.triggeredAt)
      : result.triggeredAt;
  return result.events.find((e) => e.kind === kind && e.t >= since && mine(e));
}

/**
 * Splits kill → first client reply into consecutive phases, each ending at a milestone
 * (token lost, new membership, start begun, first OCI call, OCI move, address up, client reply)
 * in the order they happened; the phases add up to the outage exactly.
 */
export function outageBreakdown(result: ScenarioResult): Breakdown {
  const zero = result.triggeredAt;
  const at = (e: TimelineEvent | undefined) => (e === undefined ? undefined : (e.t - zero) / 1000);
  const outage = result.clientReplyMs === undefined ? undefined : result.clientReplyMs / 1000;
  const seen = milestones
    .map((m) => ({ ...m, event: milestone(result, m.kind) }))
    .flatMap((m) => (m.event ? [{ ...m, at: (m.event.t - zero) / 1000 }] : []))
    .sort((a, b) => a.at - b.at);
  const end = outage ?? Math.max(0, ...seen.map((m) => m.at));
  const within = seen.filter((m) => m.at <= end && m.kind !== "client-reply");
  if (outage !== undefined) within.push({ ...milestones.at(-1)!, event: undefined, at: outage });
  const phases: Phase[] = [];
  let from = 0;
  for (const m of within) {
    const seconds = Math.max(0, m.at - from);
    phases.push({
      layer: m.layer,
      name: m.name,
      from,
      to: m.at,
      seconds,
      percent: end > 0 ? (seconds / end) * 100 : 0,
    });
    from = Math.max(from, m.at);
  }
  const byLayer = layers.map((layer) => {
    const seconds = phases.filter((p) => p.layer === layer).reduce((s, p) => s + p.seconds, 0);
    return { layer, seconds, percent: end > 0 ? (seconds / end) * 100 : 0 };
  });
  return {
    outage,
    phases,
    byLayer,
    afterReply: seen.filter((m) => m.at > end).map((m) => ({ name: m.name, at: m.at })),
    startFinished: at(milestone(result, "start-done")),
  };
}

/** What the client's probes saw during the outage. */
export interface ProbeStats {
  /** Probes sent from the kill up to and including the first answered one after it. */
  readonly sent: number;
  readonly answered: number;
  readonly lost: number;
  /** Median time between consecutive probe sends in that window, ms (undefined below 2 probes). */
  readonly medianIntervalMs: number | undefined;
  readonly minIntervalMs: number | undefined;
  readonly maxIntervalMs: number | undefined;
  /** Send time of the last unanswered probe, seconds after the kill. */
  readonly lastLostAt: number | undefined;
  /** Send time and answer time of the first answered probe after the kill, seconds. */
  readonly firstAnsweredAt: number | undefined;
  readonly firstAnswerAt: number | undefined;
  /** How long an unanswered probe waits before it counts as lost, ms (largest lost wait seen). */
  readonly lostWaitMs: number | undefined;
}

/**
 * Reads the probe log around a kill: the probe is sequential (one connect at a time, the next
 * after the interval or after the previous attempt gave up), so the real interval is measured
 * from the send times, not assumed.
 */
export function probeStats(result: ScenarioResult, probes: readonly ProbeAttempt[]): ProbeStats {
  const zero = result.triggeredAt;
  const sorted = [...probes].sort((a, b) => a.t - b.t).filter((p) => p.t >= zero);
  const firstAnswered = sorted.find(
    (p) =>
      p.reply && (result.clientReplyMs === undefined || p.t + p.ms >= zero + result.clientReplyMs),
  );
  const window = firstAnswered ? sorted.filter((p) => p.t <= firstAnswered.t) : sorted;
  const gaps = window.slice(1).map((p, i) => p.t - (window[i]?.t ?? p.t));
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length === 0 ? undefined : (s[Math.floor((s.length - 1) / 2)] ?? 0);
  };
  const lost = window.filter((p) => !p.reply);
  const at = (t: number | undefined) => (t === undefined ? undefined : (t - zero) / 1000);
  return {
    sent: window.length,
    answered: window.filter((p) => p.reply).length,
    lost: lost.length,
    medianIntervalMs: median(gaps),
    minIntervalMs: gaps.length ? Math.min(...gaps) : undefined,
    maxIntervalMs: gaps.length ? Math.max(...gaps) : undefined,
    lastLostAt: at(lost.at(-1)?.t),
    firstAnsweredAt: at(firstAnswered?.t),
    firstAnswerAt: at(firstAnswered ? firstAnswered.t + firstAnswered.ms : undefined),
    lostWaitMs: lost.length ? Math.max(...lost.map((p) => p.ms)) : undefined,
  };
}

/** The probe stats in one plain sentence. */
export function probeSentence(stats: ProbeStats, configuredIntervalMs: number): string {
  if (stats.sent === 0) return "The client sent no probe during the outage.";
  const interval =
    stats.medianIntervalMs === undefined
      ? ""
      : ` (median gap between sends ${stats.medianIntervalMs} ms${stats.minIntervalMs === stats.maxIntervalMs ? "" : `, ${stats.minIntervalMs}-${stats.maxIntervalMs} ms`}; the probe connects every ${configuredIntervalMs} ms but waits up to ${stats.lostWaitMs ?? "?"} ms for an answer before it gives up and sends the next)`;
  const last =
    stats.lastLostAt === undefined
      ? ""
      : ` The last lost probe was sent at ${stats.lastLostAt.toFixed(2)} s;`;
  const first =
    stats.firstAnsweredAt === undefined
      ? " no probe was answered."
      : ` the first answered one was sent at ${stats.firstAnsweredAt.toFixed(2)} s and answered at ${stats.firstAnswerAt?.toFixed(2)} s.`;
  return `From the kill to the first answer the client sent ${stats.sent} probes: ${stats.lost} lost, ${stats.answered} answered${interval}.${last}${first}`;
}
