import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  createFailoverLab,
  E2eError,
  type FailoverLab,
  runKillScenario,
  type ScenarioResult,
  type VipAgent,
} from "@ocfkit/e2e";
import { createLiveView } from "./live-view.js";
import { outageBreakdown, probeStats } from "./phases.js";
import { type ReportRun, reportHtml, runSummary } from "./report.js";
import { collectParameters, collectVersions } from "./run-info.js";
import { toLastRun } from "./summary.js";

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** `ocivip` (default: cloud + local) or `IPaddr2` (local only). */
  readonly agent: VipAgent;
  /** The agent was asked for with --agent (no fallback then). */
  readonly agentChosen: boolean;
  readonly tokenMs: number;
  /**
   * The OCI emulator's latency profile for ocivip: `realistic` (API 40-250 ms, federation
   * 100-400 ms, metadata 1-5 ms), `zero`, or `both` (default): a failover at each, side by side.
   */
  readonly latency: DemoLatency;
  /** Serve the emulator over HTTPS, as the real endpoints are (default; `--plain-http` turns it off). */
  readonly tls: boolean;
  /** Where `last-run.json` and `report.html` go (the repository's `.demo/`). */
  readonly outDir: string;
  /** `--compare`: the same kill with IPaddr2, then with ocivip, in one report. */
  readonly compare: boolean;
  /** `--help`: print the usage and exit. */
  readonly help: boolean;
}

/** What `pnpm demo --help` prints. */
export const demoUsage = `usage: pnpm demo [options]   (needs root)

A real two-node Corosync + Pacemaker cluster in network namespaces holds a floating IP; node1 is
switched off; the IP answers from node2. Writes .demo/last-run.json and .demo/report.html.

  --agent ocivip|IPaddr2         the agent holding the VIP (default: ocivip, IPaddr2 if ocivip
                                 cannot be set up here)
  --compare                      run the same kill with IPaddr2 and with ocivip (at each --latency
                                 profile) and write one report with every timeline and a
                                 comparison table (outage, each phase, probes lost)
  --token MS                     Corosync token timeout (default 1000)
  --latency zero|realistic|both  the OCI emulator's latency for ocivip (default both: one kill at each)
  --plain-http                   serve the emulator over plain HTTP instead of HTTPS
  --out DIR                      where to write the report and the record (default .demo/)
  --help                         this text`;

/** `--latency` values. */
export type DemoLatency = "zero" | "realistic" | "both";

/** What a cloud latency profile means, for people reading the output. */
export const latencyWords: Record<"zero" | "realistic", string> = {
  zero: "zero latency (every OCI answer immediate)",
  realistic:
    "realistic latency (each OCI API call 40-250 ms, federation 100-400 ms, metadata 1-5 ms)",
};

/**
 * Reads `--agent ocivip|IPaddr2`, `--compare`, `--token MS`, `--latency zero|realistic|both`,
 * `--plain-http`, `--out DIR` and `--help`;
 * anything else is refused by name.
 */
export function parseDemoArgs(argv: readonly string[], outDir: string): DemoOptions {
  let agent: VipAgent = "ocivip";
  let agentChosen = false;
  let tokenMs = 1000;
  let latency: DemoLatency = "both";
  let tls = true;
  let out = outDir;
  let compare = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (arg === "--agent" && (value === "ocivip" || value === "IPaddr2")) {
      agent = value;
      agentChosen = true;
      i++;
    } else if (arg === "--token" && value !== undefined && /^\d+$/.test(value)) {
      tokenMs = Number(value);
      i++;
    } else if (
      arg === "--latency" &&
      (value === "zero" || value === "realistic" || value === "both")
    ) {
      latency = value;
      i++;
    } else if (arg === "--compare") {
      compare = true;
    } else if (arg === "--help" || arg === "-h") {
      help = true;
    } else if (arg === "--plain-http") {
      tls = false;
    } else if (arg === "--out" && value !== undefined && !value.startsWith("--")) {
      out = value;
      i++;
    } else {
      throw new E2eError(
        "BAD_OPTION",
        `demo: unknown or incomplete option "${arg}" (allowed: --agent ocivip|IPaddr2, --compare, --token MS, --latency zero|realistic|both, --plain-http, --out DIR, --help)`,
      );
    }
  }
  if (compare && agentChosen)
    throw new E2eError(
      "BAD_OPTION",
      "demo: --compare runs both agents (IPaddr2 and ocivip); leave out --agent",
    );
  return { agent, agentChosen, tokenMs, latency, tls, outDir: out, compare, help };
}

/** One kill of the demo, with what the report needs about it. */
interface DemoRun extends ReportRun {
  readonly latency: "zero" | "realistic" | undefined;
}

/**
 * Kills the VIP owner on `lab` once per cloud latency profile (IPaddr2: once), the killed node
 * rejoining between kills, and returns each run with its probes and parameters.
 */
async function killRuns(lab: FailoverLab, options: DemoOptions): Promise<DemoRun[]> {
  // ocivip against the emulator: a failover at zero latency, then one at realistic latency
  // (the figure to plan with), or just the one asked for. IPaddr2 makes no cloud call.
  const cloud = lab.cloud;
  const profiles: ("zero" | "realistic")[] =
    cloud === undefined
      ? []
      : options.latency === "both"
        ? ["zero", "realistic"]
        : [options.latency];
  const transport = cloud?.urls.api.startsWith("https:") ? "HTTPS" : "plain HTTP";
  const runs: DemoRun[] = [];
  for (const [i, latency] of (profiles.length > 0 ? profiles : [undefined]).entries()) {
    if (latency !== undefined) {
      cloud?.emulator.setLatency(latency);
      lab.progress("cloud", `OCI emulator at ${latencyWords[latency]}`);
    }
    if (i > 0) {
      // The node killed last time boots again and stands by; then its peer is switched off.
      const previous = runs[i - 1]!.result;
      await lab.cluster.rejoin(previous.subject);
      await lab.cluster.exec(previous.ownerAfter ?? previous.subject, "crm_resource", ["--wait"], {
        timeoutMs: 60_000,
      });
    }
    const owner = i === 0 ? "node1" : (runs[i - 1]!.result.ownerAfter ?? "node2");
    const result = await runKillScenario(lab, owner);
    const replyAt = result.triggeredAt + (result.clientReplyMs ?? 0);
    const probes = lab.probe
      .attempts()
      .filter((a) => a.t >= result.triggeredAt - 1000 && a.t <= replyAt + 1000);
    const parameters = await collectParameters(
      lab,
      result.ownerAfter ?? "node2",
      latency === undefined
        ? undefined
        : { profile: latency, meaning: latencyMeaning[latency], transport },
    );
    const agentName = result.agent.split(":").at(-1) ?? result.agent;
    runs.push({
      title: latency === undefined ? agentName : `${agentName}, OCI at ${latency} latency`,
      latency,
      result,
      probes,
      parameters,
    });
  }
  return runs;
}

/** What each cloud latency profile means, in the report's parameter table. */
const latencyMeaning: Record<"zero" | "realistic", string> = {
  zero: "every OCI answer immediate",
  realistic: "each OCI API call 40-250 ms, federation 100-400 ms, metadata 1-5 ms (uniform)",
};

/**
 * The tutorial's proof, automated: a two-node cluster holding a floating IP, node1 switched off,
 * the IP answering from node2. Live progress, a plain-words summary, `last-run.json` and an HTML
 * report with the timeline; with `compare`, the same with IPaddr2 and with ocivip in one report.
 * Returns the process exit status.
 */
export async function runDemo(options: DemoOptions): Promise<number> {
  if (options.help) {
    console.log(demoUsage);
    return 0;
  }
  const view = createLiveView();
  console.log(
    options.compare
      ? "ocfkit demo --compare: the same Corosync + Pacemaker failover of a floating IP with IPaddr2, then with ocivip, on this machine\n"
      : `ocfkit demo: real Corosync + Pacemaker failover of a floating IP (${options.agent}), on this machine\n`,
  );
  let lab: FailoverLab | undefined;
  const createLab = (agent: VipAgent) =>
    createFailoverLab({
      nodes: 2,
      tokenMs: options.tokenMs,
      agent,
      tls: options.tls,
      onProgress: (event) => {
        if (event.phase === "kill") view.markZero(event.t);
        view.onProgress(event);
      },
    });
  try {
    const runs: DemoRun[] = [];
    let vip = "";
    if (options.compare) {
      for (const agent of ["IPaddr2", "ocivip"] as const) {
        lab = await createLab(agent);
        vip = lab.resource.vip;
        runs.push(...(await killRuns(lab, options)));
        await lab.destroy();
        lab = undefined;
      }
    } else {
      try {
        lab = await createLab(options.agent);
      } catch (error) {
        // ocivip by default, IPaddr2 while ocivip cannot be set up here (unless asked for by name).
        if (options.agentChosen || options.agent === "IPaddr2") throw error;
        console.log(
          `\nocivip could not be set up (${(error as Error).message}); the demo falls back to IPaddr2.\n`,
        );
        lab = await createLab("IPaddr2");
      }
      vip = lab.resource.vip;
      runs.push(...(await killRuns(lab, options)));
    }
    view.stop();
    const versions = await collectVersions();
    const last = runs.at(-1)!;
    const { result } = last;
    const summary = runSummary(last, vip);
    await mkdir(options.outDir, { recursive: true });
    const failover = (r: ScenarioResult) =>
      r.clientReplyMs === undefined ? null : Math.round(r.clientReplyMs) / 1000;
    const lastRun = {
      ...toLastRun(result, { vip, sampleIntervalMs: last.parameters?.sampleIntervalMs ?? 50 }),
      cloudLatency: last.latency ?? null,
      latencyProfiles: runs.flatMap((r) =>
        r.latency === undefined || r.result.agent !== result.agent
          ? []
          : [
              {
                latency: r.latency,
                failoverSeconds: failover(r.result),
                ownerBefore: r.result.ownerBefore ?? null,
                ownerAfter: r.result.ownerAfter ?? null,
              },
            ],
      ),
      runs: runs.map((r) => {
        const stats = probeStats(r.result, r.probes);
        return {
          title: r.title,
          agent: r.result.agent,
          cloudLatency: r.latency ?? null,
          failoverSeconds: failover(r.result),
          probes: {
            sent: stats.sent,
            lost: stats.lost,
            medianIntervalMs: stats.medianIntervalMs ?? null,
          },
          phases: outageBreakdown(r.result).phases,
          parameters: r.parameters ?? null,
        };
      }),
      versions,
    };
    await writeFile(join(options.outDir, "last-run.json"), `${JSON.stringify(lastRun, null, 2)}\n`);
    const report = join(options.outDir, "report.html");
    await writeFile(
      report,
      reportHtml({
        runs,
        vip,
        versions,
        title: options.compare
          ? `IPaddr2 vs ocivip: failover of ${vip}`
          : `Failover of ${vip}: ${result.ownerBefore ?? "?"} → ${result.ownerAfter ?? "?"}`,
      }),
    );
    if (!options.compare) console.log(`\n${summary.join("\n")}\n`);
    else console.log("");
    for (const r of runs) {
      if (runs.length === 1) break;
      const f = failover(r.result);
      const stats = probeStats(r.result, r.probes);
      console.log(
        `failover with ${r.title}: ${f?.toFixed(2) ?? "n/a"} s from the kill of ${r.result.ownerBefore} to the first client reply; ${stats.lost} of ${stats.sent} probes lost`,
      );
    }
    console.log(
      `failover: ${lastRun.failoverSeconds ?? "n/a"} s from the kill to the first client reply${last.latency ? ` (${last.title})` : ""}`,
    );
    console.log(`report:   ${report}\nrecord:   ${join(options.outDir, "last-run.json")}`);
    const ok = runs.every(
      (r) => r.result.ownerAfter !== r.result.ownerBefore && r.result.dualActiveSamples === 0,
    );
    return ok ? 0 : 1;
  } catch (error) {
    view.stop();
    console.error(`\ndemo failed: ${(error as Error).message}`);
    return 1;
  } finally {
    await lab?.destroy();
  }
}
