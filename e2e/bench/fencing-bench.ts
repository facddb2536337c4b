// Fencing benchmark: on one ocivip lab, the kill failover without fencing (baseline), then with
// fence_oci on, splits where the VIP owner is the node that gets fenced: split → VIP up on the
// survivor. Writes bench-results/fencing.md (+ .json). Needs `pnpm build` (fence_oci's dist).
import { mkdir, writeFile } from "node:fs/promises";
import { cpus, release } from "node:os";
import { fileURLToPath } from "node:url";
import {
  createFailoverLab,
  enableFencing,
  type FencedSplitResult,
  runFencedSplitScenario,
  runKillScenario,
  runReturnScenario,
  runStandbyScenario,
} from "../src/index.js";

const runs = Number(process.env.E2E_BENCH_RUNS ?? 3);
const tokenMs = 1000;
const delaySeconds = 2;
const resultsDir = fileURLToPath(new URL("../../bench-results", import.meta.url));

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
const s = (ms: number) => (ms / 1000).toFixed(2);
const settle = () => new Promise((resolve) => setTimeout(resolve, 3000));

const profiles = (process.env.E2E_BENCH_PROFILES ?? "zero,realistic").split(",") as (
  | "zero"
  | "realistic"
)[];

interface ProfileResult {
  readonly profile: string;
  readonly kills: number[];
  readonly splits: FencedSplitResult[];
}

/** One lab per latency profile (HTTPS, as OCI): kills without fencing, then fenced splits. */
async function measure(profile: "zero" | "realistic"): Promise<ProfileResult> {
  const lab = await createFailoverLab({
    nodes: 2,
    tokenMs,
    agent: "ocivip",
    latency: profile,
    tls: true,
  });
  const kills: number[] = [];
  const splits: FencedSplitResult[] = [];
  let fencing: Awaited<ReturnType<typeof enableFencing>> | undefined;
  try {
    for (let i = 0; i < runs; i++) {
      const result = await runKillScenario(lab);
      kills.push(result.addressUpMs ?? Number.NaN);
      process.stdout.write(
        `[${profile}] kill (no fencing) ${i + 1}/${runs}: VIP up after ${s(kills.at(-1)!)} s\n`,
      );
      await lab.cluster.rejoin(result.subject);
      await settle();
    }
    fencing = await enableFencing(lab, { delayedNode: "node1", delaySeconds });
    for (let i = 0; i < runs; i++) {
      // node1's device is delayed, so node2 is the one fenced: give node2 the VIP first.
      if ((await lab.owner()) !== "node2") {
        await runStandbyScenario(lab, "node1");
        await runReturnScenario(lab, "node1", 500);
      }
      await settle();
      const result = await runFencedSplitScenario(lab, fencing);
      splits.push(result);
      process.stdout.write(
        `[${profile}] split (fencing, owner fenced) ${i + 1}/${runs}: VIP on ${result.survivor} after ${s(result.vipOnSurvivorMs)} s, two-owner samples ${result.dualActiveSamples}\n`,
      );
    }
  } finally {
    await fencing?.close();
    await lab.destroy();
  }
  return { profile, kills, splits };
}

const results: ProfileResult[] = [];
for (const profile of profiles) results.push(await measure(profile));

const range = (values: readonly number[]) =>
  `${s(Math.min(...values))} – ${s(Math.max(...values))} s`;
const lines = [
  "# Fencing benchmark (fence_oci, OCI emulator over HTTPS, STOP/START 100 ms)",
  "",
  `${new Date().toISOString()}, ${cpus().length} CPUs, Linux ${release()}, token ${tokenMs} ms, fence_oci delay ${delaySeconds} s on node1's device, ${runs} runs each. Latency profiles: zero (the emulator answers at once) and realistic (API 40-250 ms, federation 100-400 ms, metadata 1-5 ms).`,
  "",
  "| profile | scenario | runs | trigger → VIP up on the survivor, median | range | two-owner samples |",
  "| --- | --- | --- | --- | --- | --- |",
];
for (const r of results) {
  const splitMs = r.splits.map((x) => x.vipOnSurvivorMs);
  lines.push(
    `| ${r.profile} | kill, no fencing | ${r.kills.length} | **${s(median(r.kills))} s** | ${range(r.kills)} | — |`,
    `| ${r.profile} | split, fencing on, owner fenced | ${r.splits.length} | **${s(median(splitMs))} s** | ${range(splitMs)} | ${r.splits.reduce((n, x) => n + x.dualActiveSamples, 0)} |`,
  );
}
lines.push("");
for (const r of results) {
  const ratio = median(r.splits.map((x) => x.vipOnSurvivorMs)) / median(r.kills);
  lines.push(
    `Ratio split-with-fencing / kill, ${r.profile}: **${ratio.toFixed(2)}×** (goal ≤ 2×).`,
  );
}
lines.push("");
const report = lines.join("\n");
await mkdir(resultsDir, { recursive: true });
await writeFile(`${resultsDir}/fencing.md`, report);
await writeFile(`${resultsDir}/fencing.json`, JSON.stringify(results, null, 2));
process.stdout.write(report);
