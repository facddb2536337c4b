import type { ScenarioResult, TimelineEvent } from "@ocfkit/e2e";
import { milestone, type ProbeStats, probeSentence } from "./phases.js";

/** What `.demo/last-run.json` holds (scripts read it; keep the field names stable). */
export interface LastRun {
  readonly failoverSeconds: number | null;
  readonly vipOwnerBefore: string | null;
  readonly vipOwnerAfter: string | null;
  readonly clientLostReplies: number;
  readonly tokenMs: number;
  readonly agent: string;
  readonly vip: string;
  readonly addressUpSeconds: number | null;
  readonly dualActiveSamples: number;
  readonly samples: number;
  readonly sampleIntervalMs: number;
  readonly cloudHolders: readonly string[] | null;
  readonly clientArpMac: string | null;
  readonly killedAt: string;
  readonly timeline: readonly {
    kind: string;
    label: string;
    source: string;
    offsetSeconds: number;
  }[];
}

const round = (ms: number) => Math.round(ms) / 1000;

/** The machine-readable record of a demo run. */
export function toLastRun(
  result: ScenarioResult,
  extra: { vip: string; sampleIntervalMs: number },
): LastRun {
  return {
    failoverSeconds: result.clientReplyMs === undefined ? null : round(result.clientReplyMs),
    vipOwnerBefore: result.ownerBefore ?? null,
    vipOwnerAfter: result.ownerAfter ?? null,
    clientLostReplies: result.clientLostReplies,
    tokenMs: result.tokenMs,
    agent: result.agent,
    vip: extra.vip,
    addressUpSeconds: result.addressUpMs === undefined ? null : round(result.addressUpMs),
    dualActiveSamples: result.dualActiveSamples,
    samples: result.samples,
    sampleIntervalMs: extra.sampleIntervalMs,
    cloudHolders: result.cloudHolders ?? null,
    clientArpMac: result.arp.neighborMac ?? null,
    killedAt: new Date(result.triggeredAt).toISOString(),
    timeline: result.events.map((e) => ({
      kind: e.kind,
      label: e.label,
      source: e.source,
      offsetSeconds: round(e.t - result.triggeredAt),
    })),
  };
}

function at(
  result: ScenarioResult,
  kind: TimelineEvent["kind"],
  mentions = "",
): string | undefined {
  const event = result.events.find((e) => e.kind === kind && e.label.includes(mentions));
  return event ? `${((event.t - result.triggeredAt) / 1000).toFixed(2)} s` : undefined;
}

/** The run told in plain words, one sentence a line. */
export function plainSummary(
  result: ScenarioResult,
  vip: string,
  probes?: { stats: ProbeStats; intervalMs: number },
): string[] {
  const before = result.ownerBefore ?? "?";
  const after = result.ownerAfter ?? "?";
  const lines = [
    `${before} held ${vip} (${result.agent}). It was switched off: every process killed, its link down.`,
  ];
  const tokenLost = at(result, "token-lost");
  const membership = at(result, "membership");
  if (tokenLost)
    lines.push(
      `${after} missed its token after ${tokenLost} (token timeout ${result.tokenMs} ms).`,
    );
  if (membership) lines.push(`The cluster re-formed without ${before} at ${membership}.`);
  const offset = (e: TimelineEvent | undefined) =>
    e === undefined ? undefined : `${((e.t - result.triggeredAt) / 1000).toFixed(2)} s`;
  const begun = offset(milestone(result, "start-initiated"));
  const doneEvent = milestone(result, "start-done");
  const done = offset(doneEvent);
  if (begun)
    lines.push(
      `Pacemaker began starting the VIP on ${after} at ${begun}${done ? `; the start finished at ${done} (${doneEvent?.label.split(": ").at(-1)})` : "; no start result was logged before the report"}.`,
    );
  const firstCall = offset(milestone(result, "cloud-request"));
  if (firstCall)
    lines.push(
      `The agent on ${after} made its first call to OCI after the start began at ${firstCall}.`,
    );
  const cloud = at(result, "cloud-move");
  if (cloud) lines.push(`OCI confirmed the IP on ${after}'s VNIC at ${cloud}.`);
  const up = at(result, "address-up");
  if (up) lines.push(`The address was up on ${after}'s interface at ${up}.`);
  const reply = at(result, "client-reply");
  if (reply) lines.push(`The client got its first answer ${reply} after the kill.`);
  if (probes) lines.push(probeSentence(probes.stats, probes.intervalMs));
  lines.push(
    result.dualActiveSamples === 0
      ? `The VIP was never on two nodes: ${result.samples} samples of every node's addresses since the kill.`
      : `WARNING: the VIP was on two nodes in ${result.dualActiveSamples} of ${result.samples} samples.`,
  );
  if (result.arp.neighborMac)
    lines.push(`The client now reaches ${vip} at ${result.arp.neighborMac} (${after}).`);
  return lines;
}
