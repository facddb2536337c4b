// Cold-start benchmark: the example agent's `monitor` as a brand-new process (what Pacemaker
// does every interval) against `node -e 0`, interleaved in the same run so machine load hits both.
// Writes bench-results/ocf.md at the repository root.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const agentBin = join(repoRoot, "examples/dummy-agent/bin/dummy-agent");
const builtAgent = join(repoRoot, "examples/dummy-agent/dist/main.cjs");
const resultFile = join(repoRoot, "bench-results/ocf.md");

const WARMUP = 3;
const RUNS = Number(process.env.OCF_BENCH_RUNS ?? 30);
const RSS_RUNS = 5;
const GOAL_RATIO = 1.5;
const GOAL_RSS_MB = 60;

interface Subject {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
}

function timeOnce(subject: Subject, env: NodeJS.ProcessEnv): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(subject.command, subject.args, { env, stdio: "ignore" });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${subject.name} exited ${result.status}`);
  return ms;
}

/** Peak RSS (MB) of one run, from GNU time's %M. */
function peakRssMb(subject: Subject, env: NodeJS.ProcessEnv): number {
  const result = spawnSync("/usr/bin/time", ["-f", "%M", subject.command, ...subject.args], {
    env,
    encoding: "utf8",
  });
  const kb = Number(result.stderr.trim().split("\n").at(-1));
  if (!Number.isFinite(kb))
    throw new Error(`cannot read peak RSS of ${subject.name}: ${result.stderr}`);
  return kb / 1024;
}

/**
 * Mean CPU time (user + system, ms) per run over `runs` runs, from getrusage of the children of a
 * shell (bash's `times`): millisecond resolution, and unaffected by waiting for a busy CPU.
 */
function meanCpuMs(subject: Subject, env: NodeJS.ProcessEnv, runs: number): number {
  const script = `for i in $(seq ${runs}); do "$0" "$@" >/dev/null 2>&1; done; times`;
  const result = spawnSync("bash", ["-c", script, subject.command, ...subject.args], {
    env,
    encoding: "utf8",
  });
  const children = result.stdout.trim().split("\n").at(-1) ?? "";
  const seconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map(
    (m) => Number(m[1]) * 60 + Number(m[2]),
  );
  if (seconds.length !== 2)
    throw new Error(`cannot read CPU times of ${subject.name}: ${children}`);
  return (((seconds[0] ?? 0) + (seconds[1] ?? 0)) * 1000) / runs;
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function main(): Promise<void> {
  if (!existsSync(builtAgent)) {
    execFileSync("pnpm", ["--filter", "@ocfkit/examples", "build"], {
      stdio: "inherit",
      cwd: repoRoot,
    });
  }
  const rscTmp = await mkdtemp(join(tmpdir(), "ocf-bench-"));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    OCF_ROOT: "/usr/lib/ocf",
    OCF_RESOURCE_INSTANCE: "bench",
    HA_RSCTMP: rscTmp,
    OCF_RESKEY_CRM_meta_interval: "10000",
    OCF_RESKEY_CRM_meta_timeout: "20000",
  };
  const subjects: Subject[] = [
    { name: "node -e 0", command: process.execPath, args: ["-e", "0"] },
    { name: "dummy-agent monitor", command: agentBin, args: ["monitor"] },
    { name: "dummy-agent meta-data", command: agentBin, args: ["meta-data"] },
  ];
  try {
    // A running resource: monitor takes its common path (state file found, exit 0).
    execFileSync(agentBin, ["start"], { env, stdio: "ignore" });
    const times = new Map<string, number[]>(subjects.map((s) => [s.name, []]));
    for (let i = 0; i < WARMUP + RUNS; i++) {
      for (const subject of subjects) {
        const ms = timeOnce(subject, env);
        if (i >= WARMUP) times.get(subject.name)?.push(ms);
      }
    }
    const cpu = new Map(subjects.map((s) => [s.name, meanCpuMs(s, env, RUNS)]));
    const stats = subjects.map((s) => {
      const sorted = [...(times.get(s.name) ?? [])].sort((a, b) => a - b);
      return {
        name: s.name,
        median: quantile(sorted, 0.5),
        p90: quantile(sorted, 0.9),
        min: sorted[0] ?? Number.NaN,
        cpu: cpu.get(s.name) ?? Number.NaN,
        rss: Math.max(...Array.from({ length: RSS_RUNS }, () => peakRssMb(s, env))),
      };
    });
    const baseline = stats[0]!;
    const monitor = stats[1]!;
    const ratio = monitor.median / baseline.median;
    const ratioOk = ratio <= GOAL_RATIO;
    const rssOk = monitor.rss <= GOAL_RSS_MB;
    const row = (s: (typeof stats)[number]) =>
      `| ${s.name} | ${s.median.toFixed(1)} | ${s.p90.toFixed(1)} | ${s.min.toFixed(1)} | ${(s.median / baseline.median).toFixed(2)}× | ${s.cpu.toFixed(1)} | ${s.rss.toFixed(1)} |`;
    const report = [
      "# @ocfkit/ocf cold-start benchmark",
      "",
      `Run ${new Date().toISOString()} on Node ${process.version}, ${RUNS} runs each after ${WARMUP} warm-up runs,`,
      "subjects interleaved so machine load affects them alike. Each run is a new process, as Pacemaker",
      "starts the agent for every monitor, with a clean environment (as Pacemaker gives). CPU is the",
      `mean user+system time per run over ${RUNS} more runs (getrusage via bash \`times\`), the fairer`,
      `figure when the machine is busy; peak RSS is the max of GNU time's %M over ${RSS_RUNS} runs.`,
      `Load average at start: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")} on ${cpus().length} CPUs.`,
      "",
      "| command | wall median ms | p90 ms | min ms | median vs node -e 0 | CPU ms/run | peak RSS MB |",
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
      ...stats.map(row),
      "",
      `- monitor median / node -e 0 median: **${ratio.toFixed(2)}×** (goal ≤ ${GOAL_RATIO}×): ${ratioOk ? "met" : "MISSED"}`,
      `- monitor CPU / node -e 0 CPU: ${(monitor.cpu / baseline.cpu).toFixed(2)}×`,
      `- monitor peak RSS: **${monitor.rss.toFixed(1)} MB** (goal ≤ ${GOAL_RSS_MB} MB): ${rssOk ? "met" : "MISSED"}`,
      "",
    ].join("\n");
    await mkdir(join(repoRoot, "bench-results"), { recursive: true });
    await writeFile(resultFile, report);
    console.log(report);
    console.log(`written to ${resultFile}`);
  } finally {
    spawnSync(agentBin, ["stop"], { env, stdio: "ignore" });
    await rm(rscTmp, { recursive: true, force: true });
  }
}

await main();
