// Failover benchmark: kill the VIP owner → first client reply, IPaddr2 (local-only floor) vs
// ocivip (cloud + local), on the same harness in one run. Writes bench-results/e2e.md (+ .json).
import { mkdir, writeFile } from "node:fs/promises";
import { cpus, release } from "node:os";
import { fileURLToPath } from "node:url";
import {
  createFailoverLab,
  runKillScenario,
  type ScenarioResult,
  type VipAgent,
} from "../src/index.js";

const runs = Number(process.env.E2E_BENCH_RUNS ?? 5);
/** Time a rejoined node stands by before the next kill (after the cluster has settled). */
const standbySettleMs = 3000;
const tokenMs = 1000;
/** What is benchmarked: the IPaddr2 floor, and ocivip against the emulator at both latencies. */
interface Variant {
  readonly name: string;
  readonly agent: VipAgent;
  readonly latency?: "zero" | "realistic";
}
const variants: readonly Variant[] = [
  { name: "IPaddr2", agent: "IPaddr2" },
  { name: "ocivip, zero latency", agent: "ocivip", latency: "zero" },
  { name: "ocivip, realistic latency", agent: "ocivip", latency: "realistic" },
];
const agents = variants.map((v) => v.name);
const resultsDir = fileURLToPath(new URL("../../bench-results", import.meta.url));

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const s = (ms: number | undefined) => (ms === undefined ? "n/a" : (ms / 1000).toFixed(2));

async function benchAgent(name: string): Promise<ScenarioResult[]> {
  const variant = variants.find((v) => v.name === name)!;
  const agent = name;
  const lab = await createFailoverLab({
    nodes: 2,
    tokenMs,
    agent: variant.agent,
    // ocivip talks to the emulator over HTTPS, as to the real endpoints.
    ...(variant.latency ? { latency: variant.latency, tls: true } : {}),
  });
  const results: ScenarioResult[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      // Each run kills the current owner, then boots it again (no fail-back), ready for the next.
      const result = await runKillScenario(lab);
      results.push(result);
      process.stdout.write(
        `${agent} run ${i + 1}/${runs}: kill → reply ${s(result.clientReplyMs)} s\n`,
      );
      await lab.cluster.rejoin(result.subject);
      // A real standby has been up a while when the next failure comes: let the cluster settle
      // (the rejoined node probed) and give it a few seconds, the same for both agents.
      await lab.cluster.exec(result.ownerAfter ?? result.subject, "crm_resource", ["--wait"], {
        timeoutMs: 60_000,
      });
      await new Promise((resolve) => setTimeout(resolve, standbySettleMs));
    }
  } finally {
    await lab.destroy();
  }
  return results;
}

function summaryRow(agent: string, results: readonly ScenarioResult[]): string {
  const reply = results.flatMap((r) => (r.clientReplyMs === undefined ? [] : [r.clientReplyMs]));
  const up = results.flatMap((r) => (r.addressUpMs === undefined ? [] : [r.addressUpMs]));
  const lost = results.map((r) => r.clientLostReplies);
  const dual = results.reduce((sum, r) => sum + r.dualActiveSamples, 0);
  const samples = results.reduce((sum, r) => sum + r.samples, 0);
  return `| ${agent} | ${results.length} | **${s(median(reply))}** | ${s(Math.min(...reply))} – ${s(Math.max(...reply))} | ${s(median(up))} | ${median(lost)} | ${dual} / ${samples} |`;
}

function timelines(agent: string, results: readonly ScenarioResult[]): string {
  return results
    .map((r, i) => {
      const lines = r.events.map(
        (e) =>
          `| ${((e.t - r.triggeredAt) / 1000).toFixed(3)} | ${e.kind} | ${e.label} | ${e.source} |`,
      );
      return [
        `#### ${agent}, run ${i + 1}: ${r.ownerBefore} → ${r.ownerAfter}, reply after ${s(r.clientReplyMs)} s, ${r.clientLostReplies} probes lost`,
        "",
        "| s after kill | event | detail | seen by |",
        "| --- | --- | --- | --- |",
        ...lines,
        "",
      ].join("\n");
    })
    .join("\n");
}

const started = new Date();
const byAgent = new Map<string, ScenarioResult[]>();
for (const agent of agents) byAgent.set(agent, await benchAgent(agent));
const medianReply = (agent: string) =>
  median(
    byAgent.get(agent)!.flatMap((r) => (r.clientReplyMs === undefined ? [] : [r.clientReplyMs])),
  );
const floor = medianReply("IPaddr2");
const ours = medianReply("ocivip, zero latency");
const oursRealistic = medianReply("ocivip, realistic latency");
const dualTotal = [...byAgent.values()].flat().reduce((sum, r) => sum + r.dualActiveSamples, 0);
const goal = (ok: boolean) => (ok ? "met" : "**not met**");
const markdown = `# e2e failover benchmark

Kill of the VIP owner (SIGKILL of its whole process tree and its link down) → first reply to the
client probing the VIP (TCP every 50 ms), on a real two-node Corosync + Pacemaker cluster in
network namespaces (token ${tokenMs} ms), same harness for both agents. VIP sampled in every node
namespace every 50 ms. ${runs} runs per agent, median reported. After each run the killed node
boots again (no fail-back); the next kill comes once the cluster has settled (\`crm_resource
--wait\`) plus ${standbySettleMs / 1000} s, as a real standby has been up a while before a failure.

ocivip runs twice against the OCI emulator over HTTPS (a self-signed certificate the agents
trust through NODE_EXTRA_CA_CERTS, so every new agent process makes its own TLS handshake, as
against OCI): with **zero latency**, and with the
**realistic** profile (each VirtualNetwork call 40-250 ms, federation 100-400 ms, metadata
1-5 ms, uniform), since real OCI calls take tens to hundreds of ms; the realistic figure is the
one to plan with.

Run ${started.toISOString()}, ${cpus().length} CPUs, Linux ${release()}, Node ${process.version}.

| agent | runs | kill → first reply, median (s) | range (s) | kill → address up, median (s) | probes lost, median | samples with the VIP on two nodes |
| --- | --- | --- | --- | --- | --- | --- |
${agents.map((a) => summaryRow(a, byAgent.get(a)!)).join("\n")}

ocivip over the IPaddr2 floor: **${s(ours - floor)} s** at zero latency, **${s(oursRealistic - floor)} s** at realistic latency (median vs median).

| goal | value | |
| --- | --- | --- |
| ocivip adds ≤ 0.5 s over IPaddr2 (zero latency) | ${s(ours - floor)} s | ${goal(ours - floor <= 500)} |
| kill → client reply ≤ 4 s with token 1000 (ocivip, zero latency) | ${s(ours)} s | ${goal(ours <= 4000)} |
| kill → client reply ≤ 4 s with token 1000 (ocivip, realistic latency) | ${s(oursRealistic)} s | ${goal(oursRealistic <= 4000)} |
| zero samples with the IP on two nodes | ${dualTotal} | ${goal(dualTotal === 0)} |

## Full timelines

Offsets in seconds after the kill, from the surviving node's corosync and pacemaker logs (hires
timestamps), the emulator's request log (cloud move confirmed), the VIP sampler (address up) and
the client probe (first reply).

${agents.map((a) => timelines(a, byAgent.get(a)!)).join("\n")}
`;
await mkdir(resultsDir, { recursive: true });
await writeFile(`${resultsDir}/e2e.md`, markdown);
const json = Object.fromEntries(
  [...byAgent].map(([agent, results]) => [
    agent,
    {
      medianReplyMs: medianReply(agent),
      runs: results.map((r) => ({
        ownerBefore: r.ownerBefore,
        ownerAfter: r.ownerAfter,
        clientReplyMs: r.clientReplyMs,
        addressUpMs: r.addressUpMs,
        clientLostReplies: r.clientLostReplies,
        dualActiveSamples: r.dualActiveSamples,
        samples: r.samples,
        timeline: r.events.map((e) => ({ ...e, offsetMs: e.t - r.triggeredAt })),
      })),
    },
  ]),
);
await writeFile(
  `${resultsDir}/e2e.json`,
  `${JSON.stringify({ tokenMs, runs, started, ...json }, null, 2)}\n`,
);
process.stdout.write(`\nwritten ${resultsDir}/e2e.md\n`);
