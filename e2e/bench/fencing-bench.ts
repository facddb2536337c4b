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

const lab = await createFailoverLab({ nodes: 2, tokenMs, agent: "ocivip" });
const kills: number[] = [];
const splits: FencedSplitResult[] = [];
let fencing: Awaited<ReturnType<typeof enableFencing>> | undefined;
try {
  for (let i = 0; i < runs; i++) {
    const result = await runKillScenario(lab);
    kills.push(result.addressUpMs ?? Number.NaN);
    process.stdout.write(
      `kill (no fencing) ${i + 1}/${runs}: VIP up after ${s(kills.at(-1)!)} s\n`,
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
      `split (fencing, owner fenced) ${i + 1}/${runs}: VIP on ${result.survivor} after ${s(result.vipOnSurvivorMs)} s, two-owner samples ${result.dualActiveSamples}\n`,
    );
  }
} finally {
  await fencing?.close();
  await lab.destroy();
}

const killMedian = median(kills);
const splitMedian = median(splits.map((r) => r.vipOnSurvivorMs));
const report = [
  "# Fencing benchmark (fence_oci, OCI emulator, zero latency, STOP/START 100 ms)",
  "",
  `${new Date().toISOString()}, ${cpus().length} CPUs, Linux ${release()}, token ${tokenMs} ms, pcmk_delay_base ${delaySeconds} s on node1's device, ${runs} runs each.`,
  "",
  "| scenario | runs | trigger → VIP up on the survivor, median | range | two-owner samples |",
  "| --- | --- | --- | --- | --- |",
  `| kill, no fencing | ${kills.length} | **${s(killMedian)} s** | ${s(Math.min(...kills))} – ${s(Math.max(...kills))} s | — |`,
  `| split, fencing on, owner fenced | ${splits.length} | **${s(splitMedian)} s** | ${s(Math.min(...splits.map((r) => r.vipOnSurvivorMs)))} – ${s(Math.max(...splits.map((r) => r.vipOnSurvivorMs)))} s | ${splits.reduce((n, r) => n + r.dualActiveSamples, 0)} |`,
  "",
  `Ratio split-with-fencing / kill: **${(splitMedian / killMedian).toFixed(2)}×** (goal ≤ 2×).`,
  "",
].join("\n");
await mkdir(resultsDir, { recursive: true });
await writeFile(`${resultsDir}/fencing.md`, report);
await writeFile(`${resultsDir}/fencing.json`, JSON.stringify({ kills, splits }, null, 2));
process.stdout.write(report);
