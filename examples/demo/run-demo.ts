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
import { reportHtml } from "./report.js";
import { plainSummary, toLastRun } from "./summary.js";

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
}

/** `--latency` values. */
export type DemoLatency = "zero" | "realistic" | "both";

/** What a cloud latency profile means, for people reading the output. */
export const latencyWords: Record<"zero" | "realistic", string> = {
  zero: "zero latency (every OCI answer immediate)",
  realistic:
    "realistic latency (each OCI API call 40-250 ms, federation 100-400 ms, metadata 1-5 ms)",
};

/**
 * Reads `--agent ocivip|IPaddr2`, `--token MS`, `--latency zero|realistic|both` and `--out DIR`;
 * anything else is refused by name.
 */
export function parseDemoArgs(argv: readonly string[], outDir: string): DemoOptions {
  let agent: VipAgent = "ocivip";
  let agentChosen = false;
  let tokenMs = 1000;
  let latency: DemoLatency = "both";
  let tls = true;
  let out = outDir;
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
    } else if (arg === "--plain-http") {
      tls = false;
    } else if (arg === "--out" && value !== undefined && !value.startsWith("--")) {
      out = value;
      i++;
    } else {
      throw new E2eError(
        "BAD_OPTION",
        `demo: unknown or incomplete option "${arg}" (allowed: --agent ocivip|IPaddr2, --token MS, --latency zero|realistic|both, --plain-http, --out DIR)`,
      );
    }
  }
  return { agent, agentChosen, tokenMs, latency, tls, outDir: out };
}

/**
 * The tutorial's proof, automated: a two-node cluster holding a floating IP, node1 switched off,
 * the IP answering from node2. Live progress, a plain-words summary, `last-run.json` and an HTML
 * report with the timeline. Returns the process exit status.
 */
export async function runDemo(options: DemoOptions): Promise<number> {
  const view = createLiveView();
  console.log(
    `ocfkit demo: real Corosync + Pacemaker failover of a floating IP (${options.agent}), on this machine\n`,
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
    // ocivip against the emulator: a failover at zero latency, then one at realistic latency
    // (the figure to plan with), or just the one asked for. IPaddr2 makes no cloud call.
    const cloud = lab.cloud;
    const profiles: ("zero" | "realistic")[] =
      cloud === undefined
        ? []
        : options.latency === "both"
          ? ["zero", "realistic"]
          : [options.latency];
    const runs: { latency: "zero" | "realistic" | undefined; result: ScenarioResult }[] = [];
    for (const [i, latency] of (profiles.length > 0 ? profiles : [undefined]).entries()) {
      if (latency !== undefined) {
        cloud?.emulator.setLatency(latency);
        lab.progress("cloud", `OCI emulator at ${latencyWords[latency]}`);
      }
      if (i > 0) {
        // The node killed last time boots again and stands by; then its peer is switched off.
        const previous = runs[i - 1]!.result;
        await lab.cluster.rejoin(previous.subject);
        await lab.cluster.exec(
          previous.ownerAfter ?? previous.subject,
          "crm_resource",
          ["--wait"],
          {
            timeoutMs: 60_000,
          },
        );
      }
      const owner = i === 0 ? "node1" : (runs[i - 1]!.result.ownerAfter ?? "node2");
      runs.push({ latency, result: await runKillScenario(lab, owner) });
    }
    view.stop();
    const { latency: cloudLatency, result } = runs.at(-1)!;
    const vip = lab.resource.vip;
    const summary = plainSummary(result, vip);
    if (cloudLatency !== undefined) {
      const transport = cloud?.urls.api.startsWith("https:") ? "HTTPS" : "plain HTTP";
      summary.push(`The OCI emulator ran at ${latencyWords[cloudLatency]}, over ${transport}.`);
    }
    const byProfile = runs.flatMap((r) =>
      r.latency === undefined
        ? []
        : [
            {
              latency: r.latency,
              failoverSeconds:
                r.result.clientReplyMs === undefined ? null : r.result.clientReplyMs / 1000,
              ownerBefore: r.result.ownerBefore ?? null,
              ownerAfter: r.result.ownerAfter ?? null,
            },
          ],
    );
    const probes = lab.probe.attempts().filter((a) => a.t >= result.triggeredAt - 1000);
    await mkdir(options.outDir, { recursive: true });
    const lastRun = {
      ...toLastRun(result, { vip, sampleIntervalMs: lab.sampleIntervalMs }),
      cloudLatency: cloudLatency ?? null,
      latencyProfiles: byProfile,
    };
    await writeFile(join(options.outDir, "last-run.json"), `${JSON.stringify(lastRun, null, 2)}\n`);
    const report = join(options.outDir, "report.html");
    await writeFile(
      report,
      reportHtml({
        result,
        probes,
        summary,
        vip,
        cloud: cloudLatency === undefined ? undefined : latencyWords[cloudLatency],
        profiles: byProfile.map((p) => ({
          label: latencyWords[p.latency],
          failover: p.failoverSeconds === null ? "n/a" : `${p.failoverSeconds.toFixed(2)} s`,
        })),
      }),
    );
    console.log(`\n${summary.join("\n")}\n`);
    for (const p of byProfile) {
      console.log(
        `failover at ${p.latency} latency: ${p.failoverSeconds?.toFixed(2) ?? "n/a"} s from the kill of ${p.ownerBefore} to the first client reply`,
      );
    }
    console.log(
      `failover: ${lastRun.failoverSeconds ?? "n/a"} s from the kill to the first client reply${cloudLatency ? ` (OCI emulator at ${cloudLatency} latency)` : ""}`,
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
