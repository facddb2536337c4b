// Realistic demo runs for the report's tests, shaped like what `pnpm demo` records: the event
// labels are the ones e2e/src/timeline.ts and e2e/src/cloud.ts write, the offsets those of a
// 1000 ms token (consensus 1200 ms), and the client probe behaves as e2e/src/tcp-probe.mjs does
// (one connect at a time, every 50 ms while answered, each lost one given up after 250 ms).
import type { ProbeAttempt, ScenarioResult, TimelineEvent, TimelineKind } from "@ocfkit/e2e";
import type { ReportRun } from "./report.js";
import type { RunParameters } from "./run-info.js";

const killedAt = Date.UTC(2026, 11, 5, 12, 0, 0);

function events(list: readonly [number, TimelineKind, string, string][]): TimelineEvent[] {
  return list.map(([s, kind, label, source]) => ({
    kind,
    t: killedAt + Math.round(s * 1000),
    label,
    source,
  }));
}

/** Probes as tcp-probe.mjs sends them: answered before `lostFrom` and from `answeredFrom` on. */
function probes(lostFrom: number, answeredFrom: number, until: number): ProbeAttempt[] {
  const out: ProbeAttempt[] = [];
  let t = killedAt - 1000;
  while (t < killedAt + until * 1000) {
    const s = (t - killedAt) / 1000;
    const lost = s >= lostFrom && s < answeredFrom;
    out.push(
      lost
        ? { t, ms: 250, reply: false, how: "timeout" }
        : { t, ms: 1, reply: true, how: "ECONNREFUSED" },
    );
    t += lost ? 251 : 50;
  }
  return out;
}

/** A kill result whose client reply and lost count come from `sent` (as e2e computes them). */
function result(
  agent: string,
  list: readonly [number, TimelineKind, string, string][],
  sent: readonly ProbeAttempt[],
  addressUp: number,
): ScenarioResult {
  const first = sent.find((p) => p.t >= killedAt + addressUp * 1000 - 50 && p.reply);
  if (!first) throw new Error("fixture: no answered probe after the address came up");
  const reply = (first.t + first.ms - killedAt) / 1000;
  const lost = sent.filter((p) => p.t >= killedAt && p.t < first.t && !p.reply).length;
  list = [...list, [reply, "client-reply", "first client reply", "client"]];
  list = [...list].sort((a, b) => a[0] - b[0]);
  return {
    scenario: "kill",
    subject: "node1",
    agent,
    tokenMs: 1000,
    ownerBefore: "node1",
    ownerAfter: "node2",
    triggeredAt: killedAt,
    addressUpMs: addressUp * 1000,
    clientReplyMs: reply * 1000,
    clientLostReplies: lost,
    samples: 60,
    dualActiveSamples: 0,
    activeAfter: ["node2"],
    arp: { neighborMac: "02:00:00:00:00:02", neighborState: ["REACHABLE"], arpingMacs: [] },
    cloudHolders: agent.endsWith("ocivip") ? ["node2"] : undefined,
    events: events(list),
  };
}

const parameters = (agent: string, cloud: RunParameters["cloud"]): RunParameters => ({
  agent,
  agentParams: agent.endsWith("ocivip")
    ? {
        ip: "192.0.2.100",
        cidr_netmask: "24",
        "metadata_url (on node1)": "https://198.51.100.1:8443/opc/v2",
      }
    : { ip: "192.0.2.100", cidr_netmask: "24" },
  nodes: 2,
  tokenMs: 1000,
  consensusMs: 1200,
  probeIntervalMs: 50,
  probeTimeoutMs: 250,
  sampleIntervalMs: 50,
  cloud,
});

/**
 * ocivip at realistic latency, the hard case: eight Pacemaker events within 30 ms of each other
 * and the last events close to the right edge.
 */
export function ocivipRun(): ReportRun {
  const list: [number, TimelineKind, string, string][] = [
    [0, "trigger", "kill node1", "harness"],
    [1.003, "token-lost", "token lost (timed out after 1000 ms)", "node2"],
    [2.205, "membership", "new membership 2.1d without node id 1", "node2"],
    [2.212, "node-lost", "Pacemaker: node1 lost", "node2"],
    [2.214, "transition", "scheduler: transition 4", "node2"],
    [2.219, "transition", "scheduler: transition 5", "node2"],
    [2.222, "stop-initiated", "stop of VIP on node1 initiated", "node2"],
    [2.226, "stop-done", "stop of VIP on node1: ok", "node2"],
    [2.231, "start-initiated", "start of VIP on node2 initiated", "node2"],
    [2.238, "transition", "scheduler: transition 6", "node2"],
    [2.243, "transition", "scheduler: transition 7", "node2"],
    [
      2.556,
      "cloud-request",
      "OCI: first request from node2 since the trigger (Federation)",
      "emulator",
    ],
    [3.021, "cloud-move", "OCI: UpdatePrivateIp by node2 confirmed", "emulator"],
    [3.094, "address-up", "VIP up on node2", "sampler"],
    [3.282, "start-done", "start of VIP on node2: ok", "node2"],
  ];
  const sent = probes(0, 3.1, 4);
  return {
    title: "ocivip, OCI at realistic latency",
    result: result("ocf:ocfkit:ocivip", list, sent, 3.094),
    probes: sent,
    parameters: parameters("ocf:ocfkit:ocivip", {
      profile: "realistic",
      meaning: "each OCI API call 40-250 ms, federation 100-400 ms, metadata 1-5 ms (uniform)",
      transport: "HTTPS",
    }),
  };
}

/** IPaddr2 on the same cluster: no cloud call, the address up right after the start. */
export function ipaddr2Run(): ReportRun {
  const list: [number, TimelineKind, string, string][] = [
    [0, "trigger", "kill node1", "harness"],
    [1.002, "token-lost", "token lost (timed out after 1000 ms)", "node2"],
    [2.204, "membership", "new membership 2.1d without node id 1", "node2"],
    [2.21, "node-lost", "Pacemaker: node1 lost", "node2"],
    [2.214, "transition", "scheduler: transition 4", "node2"],
    [2.22, "start-initiated", "start of VIP on node2 initiated", "node2"],
    [2.289, "address-up", "VIP up on node2", "sampler"],
    [2.334, "start-done", "start of VIP on node2: ok", "node2"],
  ];
  const ipaddr2Probes = probes(0, 2.28, 3);
  return {
    title: "IPaddr2",
    result: result("ocf:heartbeat:IPaddr2", list, ipaddr2Probes, 2.289),
    probes: ipaddr2Probes,
    parameters: parameters("ocf:heartbeat:IPaddr2", undefined),
  };
}
