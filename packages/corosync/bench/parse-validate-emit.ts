import { mkdir, writeFile } from "node:fs/promises";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { emit, generate, validate } from "@ocfkit/corosync";

// Goal from issue 5: parse + validate + emit of a generated 32-node config with comments, median <= 5 ms.
const GOAL_MS = 5;
const WARMUP = 50;
const RUNS = 500;

const nodes = Array.from({ length: 32 }, (_, i) => ({
  name: `node${i + 1}`,
  addrs: [`192.0.2.${i + 1}`, `198.51.100.${i + 1}`],
}));
const text = generate({ clusterName: "bench", nodes, token: 10_000, comments: true });

function once(): number {
  const start = performance.now();
  const result = validate(text);
  if (emit(result.document) !== text || result.errors > 0)
    throw new Error("bench input did not round-trip");
  return performance.now() - start;
}

for (let i = 0; i < WARMUP; i++) once();
const samples = Array.from({ length: RUNS }, once).sort((a, b) => a - b);
const pick = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
const median = pick(0.5);
const report = `# @ocfkit/corosync benchmark

parse + validate + emit of a generated 32-node, 2-link config with comments
(${text.length} bytes, ${text.split("\n").length} lines), ${RUNS} runs after ${WARMUP} warm-up runs.

| metric | ms |
| --- | --- |
| median | ${median.toFixed(3)} |
| p95 | ${pick(0.95).toFixed(3)} |
| min | ${samples[0]!.toFixed(3)} |
| max | ${samples.at(-1)!.toFixed(3)} |

Goal: median <= ${GOAL_MS} ms: **${median <= GOAL_MS ? "met" : "NOT met"}**.

Node ${process.version}, ${cpus()[0]?.model ?? "unknown CPU"} (${cpus().length} cores, shared), ${new Date().toISOString()}.
`;
const out = fileURLToPath(new URL("../../../bench-results/corosync.md", import.meta.url));
await mkdir(fileURLToPath(new URL("../../../bench-results/", import.meta.url)), {
  recursive: true,
});
await writeFile(out, report);
process.stdout.write(report);
