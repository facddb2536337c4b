// Benchmark of the agent as new processes inside a network namespace against the emulator, side
// by side with `node -e 0` and with the shell agent (heartbeat:ocivip + an instant fake `oci`).
// Writes /work/main/bench-results/ocivip.md. Run: pnpm --filter @ocfkit/ocivip bench
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { addNic, createTestNetns } from "../test/helpers/netns.js";
import { createUpstreamWorld, runUpstream } from "../test/helpers/upstream.js";
import { collect, createWorld, VIP, type World } from "../test/helpers/world.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 11);
const START_RUNS = Number(process.env.BENCH_START_RUNS ?? 7);
const UPSTREAM_RUNS = 3;
const resultFile = fileURLToPath(new URL("../../../bench-results/ocivip.md", import.meta.url));

interface Sample {
  ms: number;
  /** User + system CPU time: less distorted than wall time when the machine is loaded. */
  cpuMs: number;
  rssMb: number;
  status: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** Runs argv under /usr/bin/time (same PID chain: ip netns exec → env → node) for wall + peak RSS. */
async function timed(argv: string[]): Promise<Sample> {
  const out = join(tmpdir(), `ocfk-bench-${process.pid}.time`);
  const started = performance.now();
  const res = await collect(
    spawn("/usr/bin/time", ["-f", "%M %U %S", "-o", out, ...argv], {
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
  const ms = performance.now() - started;
  const [rssKb, user, sys] = readFileSync(out, "utf8")
    .trim()
    .split("\n")
    .pop()!
    .split(" ")
    .map(Number);
  rmSync(out, { force: true });
  return { ms, cpuMs: (user! + sys!) * 1000, rssMb: rssKb! / 1024, status: res.status };
}

function agentArgv(
  world: World,
  node: string,
  action: string,
  params: Record<string, string>,
  env: Record<string, string> = {},
): string[] {
  const side = world.nodes[node]!;
  const vars: Record<string, string> = {
    PATH: "/usr/sbin:/usr/bin:/sbin:/bin",
    OCF_ROOT: "/usr/lib/ocf",
    OCF_RESOURCE_INSTANCE: "vip",
    HA_RSCTMP: side.rscTmp,
    ...env,
  };
  for (const [k, v] of Object.entries({ ...world.endpoints(node), ...params }))
    vars[`OCF_RESKEY_${k}`] = v;
  return [
    "ip",
    "netns",
    "exec",
    side.ns.name,
    "env",
    "-i",
    ...Object.entries(vars).map(([k, v]) => `${k}=${v}`),
    process.execPath,
    // OCIVIP_BENCH_CPU_PROF=DIR: a V8 CPU profile of every agent run, to see where time goes;
    // OCIVIP_BENCH_NODE_ARGS: extra node options for the agent runs (to try V8 settings).
    ...(process.env.OCIVIP_BENCH_CPU_PROF
      ? ["--cpu-prof", `--cpu-prof-dir=${process.env.OCIVIP_BENCH_CPU_PROF}`]
      : []),
    ...(process.env.OCIVIP_BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? []),
    world.agent.runner,
    action,
  ];
}

interface Row {
  name: string;
  samples: Sample[];
  requests: string;
  goal: string;
  pass: boolean | undefined;
}

async function main(): Promise<void> {
  const world = await createWorld();
  const rows: Row[] = [];
  const params = { secondary_private_ip: VIP };
  const node1 = world.nodes.node1!;
  const requestsOf = (ops: string[]) => {
    const log = world.emulator.requestLog();
    const by = (op: string) => log.filter((r) => r.operation === op).length;
    return { total: log.length, text: ops.map((op) => `${op} ${by(op)}`).join(", "), by };
  };
  try {
    // Warm up: the code cache and the per-boot metadata cache are written by the first runs.
    // Same argv and environment as the measured runs: the quick monitor's ticket is only good
    // for the exact parameters of the action that wrote it.
    const first = await timed(agentArgv(world, "node1", "start", params));
    if (first.status !== 0) throw new Error("start failed");
    await timed(agentArgv(world, "node1", "monitor", params, { OCF_CHECK_LEVEL: "10" }));
    const resourceDir = join(node1.rscTmp, "ocfkit-ocivip", "vip");
    const ticket = join(resourceDir, "state.json");
    if (!existsSync(ticket))
      throw new Error(`no state (the quick path's ticket) after start: ${ticket}`);

    // `node -e 0` and the depth-0 monitor alternate, so the machine's drift (other jobs share
    // it) hits both alike.
    world.emulator.clearRequestLog();
    const baseline: Sample[] = [];
    const shallow: Sample[] = [];
    for (let i = 0; i < RUNS; i++) {
      baseline.push(
        await timed([
          "ip",
          "netns",
          "exec",
          node1.ns.name,
          "env",
          "-i",
          process.execPath,
          "-e",
          "0",
        ]),
      );
      shallow.push(await timed(agentArgv(world, "node1", "monitor", params)));
    }
    const node0 = median(baseline.map((s) => s.ms));
    rows.push({
      name: "`node -e 0` (same netns wrapper)",
      samples: baseline,
      requests: "-",
      goal: "baseline",
      pass: undefined,
    });
    const r0 = requestsOf(["ListPrivateIps"]);
    rows.push({
      name: "monitor depth 0, no cloud check due",
      samples: shallow,
      requests: `${r0.total} requests`,
      goal: "≤ 1.5× node, 0 requests",
      pass:
        median(shallow.map((s) => s.ms)) <= 1.5 * node0 &&
        r0.total === 0 &&
        shallow.every((s) => s.status === 0),
    });

    // The same monitor when the quick path declines (HA_debug asks for the whole agent), so the
    // whole agent loads and decides (from the state file: no cloud check due either).
    world.emulator.clearRequestLog();
    const full: Sample[] = [];
    for (let i = 0; i < RUNS; i++)
      full.push(await timed(agentArgv(world, "node1", "monitor", params, { HA_debug: "1" })));
    rows.push({
      name: "monitor depth 0, full agent (quick path declined: HA_debug=1)",
      samples: full,
      requests: `${world.emulator.requestLog().length} requests`,
      goal: "(for comparison)",
      pass: undefined,
    });

    world.emulator.clearRequestLog();
    const deep: Sample[] = [];
    for (let i = 0; i < RUNS; i++)
      deep.push(
        await timed(agentArgv(world, "node1", "monitor", params, { OCF_CHECK_LEVEL: "10" })),
      );
    const r10 = requestsOf(["ListPrivateIps", "Imds", "Federation"]);
    const perRun = r10.total / RUNS;
    rows.push({
      name: "monitor depth 10, cached session",
      samples: deep,
      requests: `${perRun} per run (${r10.text} over ${RUNS})`,
      goal: "≤ 4× node, 1 API, 0 IMDS, 0 federation",
      pass:
        median(deep.map((s) => s.ms)) <= 4 * node0 &&
        r10.by("ListPrivateIps") === RUNS &&
        r10.total === RUNS &&
        deep.every((s) => s.status === 0),
    });

    for (const fresh of [true, false]) {
      const samples: Sample[] = [];
      let requests = 0;
      for (let i = 0; i < START_RUNS; i++) {
        const moved = await collect(world.spawn("start", params, { node: "node2" }));
        if (moved.status !== 0) throw new Error(`node2 start failed: ${moved.stderr}`);
        node1.ns.ip("addr", "flush", "to", `${VIP}/32`, "dev", "ens3");
        if (fresh)
          for (const f of readdirSync(resourceDir).filter((n) => n.includes("session"))) {
            rmSync(join(resourceDir, f), { force: true });
          }
        world.emulator.clearRequestLog();
        const s = await timed(agentArgv(world, "node1", "start", params));
        requests += world.emulator.requestLog().length;
        if (world.holder(VIP) !== world.vnicId("node1"))
          throw new Error("start did not move the IP");
        samples.push(s);
      }
      const goal = fresh ? 1000 : 600;
      rows.push({
        name: `start moving the IP from node2, ${fresh ? "fresh" : "cached"} session`,
        samples,
        requests: `${requests / START_RUNS} per run`,
        goal: `≤ ${goal / 1000} s`,
        pass: median(samples.map((s) => s.ms)) <= goal && samples.every((s) => s.status === 0),
      });
    }

    // The shell agent, with an instant fake oci CLI and curl shim, in its own isolated namespace.
    const up = createUpstreamWorld([
      {
        vnicId: "ocid1.vnic.node1",
        macAddr: "02:00:17:00:00:11",
        privateIp: "192.0.2.11",
        subnetCidrBlock: "192.0.2.0/24",
      },
    ]);
    const upNs = createTestNetns();
    try {
      addNic(upNs, {
        name: "ens3",
        mac: "02:00:17:00:00:11",
        address: "192.0.2.11/24",
        defaultRoute: true,
      });
      const upStart: Sample[] = [];
      for (let i = 0; i < UPSTREAM_RUNS; i++) {
        up.assign(VIP, "ocid1.vnic.node2");
        upNs.ip("addr", "flush", "to", `${VIP}/32`, "dev", "ens3");
        const r = runUpstream(up, upNs, "start", params);
        upStart.push({ ms: r.ms, cpuMs: Number.NaN, rssMb: Number.NaN, status: r.status });
      }
      rows.push({
        name: "heartbeat:ocivip start (instant fake `oci`)",
        samples: upStart,
        requests: "2 CLI calls + 3 s sleep",
        goal: "never beats its 3 s sleep",
        pass: upStart.every((s) => s.ms >= 3000),
      });
      const upMon: Sample[] = [];
      for (let i = 0; i < RUNS; i++) {
        const r = runUpstream(up, upNs, "monitor", params);
        upMon.push({ ms: r.ms, cpuMs: Number.NaN, rssMb: Number.NaN, status: r.status });
      }
      rows.push({
        name: "heartbeat:ocivip monitor (instant fake `oci`)",
        samples: upMon,
        requests: "1 CLI call + curl",
        goal: "(real `oci` CLI: ~1 s of Python)",
        pass: undefined,
      });
    } finally {
      up.remove();
      upNs.remove();
    }
  } finally {
    await world.close();
  }

  const peak = Math.max(
    ...rows.flatMap((r) => r.samples.map((s) => s.rssMb)).filter((n) => Number.isFinite(n)),
  );
  const node0 = median(rows[0]!.samples.map((s) => s.ms));
  const cpu0 = median(rows[0]!.samples.map((s) => s.cpuMs));
  const lines = [
    "# ocivip benchmark",
    "",
    `New processes inside a test network namespace against @ocfkit/oci-emulator (bridged over a unix socket), ${new Date().toISOString()}, Node ${process.version}, ${cpus().length} CPUs, load average at the end ${loadavg()
      .map((l) => l.toFixed(1))
      .join(
        " / ",
      )} (other engineers' jobs share this machine: ratios matter more than absolute times).`,
    "",
    "| case | runs | median wall | ratio to node -e 0 | median CPU (user+sys) | CPU ratio | peak RSS | requests | goal | met (wall) |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows.map((r) => {
      const m = median(r.samples.map((s) => s.ms));
      const rss = Math.max(...r.samples.map((s) => s.rssMb));
      const cpu = median(r.samples.map((s) => s.cpuMs));
      const cpuText = Number.isFinite(cpu)
        ? `${cpu.toFixed(0)} ms | ${(cpu / cpu0).toFixed(2)}×`
        : "- | -";
      return `| ${r.name} | ${r.samples.length} | ${m.toFixed(0)} ms | ${(m / node0).toFixed(2)}× | ${cpuText} | ${Number.isFinite(rss) ? `${rss.toFixed(0)} MB` : "-"} | ${r.requests} | ${r.goal} | ${r.pass === undefined ? "-" : r.pass ? "yes" : "**no**"} |`;
    }),
    "",
    `Peak RSS over all ocivip runs: ${peak.toFixed(0)} MB (goal ≤ 100 MB: ${peak <= 100 ? "yes" : "**no**"}).`,
    "",
    "Where the time goes (in-process timestamps and --cpu-prof, 2026-11-25): the routine depth-0",
    "monitor takes the launcher's quick path (src/runtime/quick.ts): it opens the resource's private",
    "directory (lstat checks), reads the state file start or a cloud check wrote, and runs one `ip -json addr show`; after",
    "the same Node start-up as `node -e 0`, its cost is loading node:child_process (~5-6 ms) and the",
    "`ip` process itself (~1-2 ms). When it declines, the whole agent runs: ~3 ms reading dist/agent.cjs",
    "(90 KB, V8 code cache), ~5 ms building zod/mini schemas and parsing parameters and `ip` output,",
    "plus the same `ip` and state file (the code caches are bound to their bundle by a sha256, ~1 ms).",
    "Depth 10, start and stop also load dist/cloud.cjs (1 KB) and @ocfkit/oci-vnic as published (its",
    "ESM entry, a few chunks with the zod it inlines, @ocfkit/ocf/files, then its one-file SDK bundle",
    "with its own code cache in the same private directory). Measured 2026-12-05 (--cpu-prof): ES",
    "modules are compiled without a cache, so their number matters: with zod and @ocfkit/ocf's main",
    "entry as published (~100 modules) a depth-10 monitor took ~60 ms longer.",
    "Measured 2026-11-25 with the SDK re-bundled into cloud.cjs, a depth-10 monitor (CPU profile,",
    "~110-120 ms in-process) added to the whole agent: ~10 ms deserialising the cloud code cache,",
    "~12 ms evaluating the SDK modules (the signer pulls in the auth providers and their",
    "dependencies), ~8 ms for the crypto and http built-ins, ~7 ms of garbage collection, ~3 ms",
    "signing and ~3 ms for the request. Requests use Node's http, not fetch: undici alone cost ~30 ms",
    "to load, and its WebAssembly parser delayed every cloud action's exit by ~100 ms.",
    "",
  ];
  mkdirSync(join(resultFile, ".."), { recursive: true });
  writeFileSync(resultFile, lines.join("\n"));
  process.stdout.write(lines.join("\n"));
}

await main();
