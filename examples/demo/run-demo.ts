import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  createFailoverLab,
  E2eError,
  type FailoverLab,
  runKillScenario,
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
  /** Where `last-run.json` and `report.html` go (the repository's `.demo/`). */
  readonly outDir: string;
}

/** Reads `--agent ocivip|IPaddr2`, `--token MS` and `--out DIR`; anything else is refused by name. */
export function parseDemoArgs(argv: readonly string[], outDir: string): DemoOptions {
  let agent: VipAgent = "ocivip";
  let agentChosen = false;
  let tokenMs = 1000;
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
    } else if (arg === "--out" && value !== undefined && !value.startsWith("--")) {
      out = value;
      i++;
    } else {
      throw new E2eError(
        "BAD_OPTION",
        `demo: unknown or incomplete option "${arg}" (allowed: --agent ocivip|IPaddr2, --token MS, --out DIR)`,
      );
    }
  }
  return { agent, agentChosen, tokenMs, outDir: out };
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
    const result = await runKillScenario(lab, "node1");
    view.stop();
    const vip = lab.resource.vip;
    const summary = plainSummary(result, vip);
    const probes = lab.probe.attempts().filter((a) => a.t >= result.triggeredAt - 1000);
    await mkdir(options.outDir, { recursive: true });
    const lastRun = toLastRun(result, { vip, sampleIntervalMs: lab.sampleIntervalMs });
    await writeFile(join(options.outDir, "last-run.json"), `${JSON.stringify(lastRun, null, 2)}\n`);
    const report = join(options.outDir, "report.html");
    await writeFile(report, reportHtml({ result, probes, summary, vip }));
    console.log(`\n${summary.join("\n")}\n`);
    console.log(
      `failover: ${lastRun.failoverSeconds ?? "n/a"} s from the kill to the first client reply`,
    );
    console.log(`report:   ${report}\nrecord:   ${join(options.outDir, "last-run.json")}`);
    const ok = result.ownerAfter !== result.ownerBefore && result.dualActiveSamples === 0;
    return ok ? 0 : 1;
  } catch (error) {
    view.stop();
    console.error(`\ndemo failed: ${(error as Error).message}`);
    return 1;
  } finally {
    await lab?.destroy();
  }
}
