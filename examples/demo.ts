// Interim demo: the example OCF agent through the cycle Pacemaker drives, each action a new
// process exactly as Pacemaker would run it. Local only: it touches nothing but a temp directory.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ocfExitName } from "@ocfkit/ocf";
import { type OcfTestEnv, runAgentProcess } from "@ocfkit/ocf/testing";

const agentBin = fileURLToPath(new URL("./dummy-agent/bin/dummy-agent", import.meta.url));
const built = fileURLToPath(new URL("./dummy-agent/dist/main.cjs", import.meta.url));

interface Step {
  readonly label: string;
  readonly action: string;
  readonly expect: number;
  readonly env?: OcfTestEnv;
}

function validates(xml: string): string {
  const checks: Array<[string, string[]]> = [
    ["ra-api-1.dtd", ["--dtdvalid", "/usr/share/resource-agents/ra-api-1.dtd"]],
    ["metadata.rng", ["--relaxng", "/usr/share/resource-agents/metadata.rng"]],
  ];
  return checks
    .map(([name, args]) => {
      try {
        execFileSync("xmllint", ["--noout", ...args, "-"], {
          input: xml,
          stdio: ["pipe", "ignore", "ignore"],
        });
        return `${name} ok`;
      } catch {
        return `${name} FAILED`;
      }
    })
    .join(", ");
}

async function main(): Promise<number> {
  if (!existsSync(built)) {
    console.log("building the example agent (pnpm --filter @ocfkit/examples build)...");
    execFileSync("pnpm", ["--filter", "@ocfkit/examples", "build"], { stdio: "inherit" });
  }
  const rscTmp = await mkdtemp(join(tmpdir(), "ocfkit-demo-"));
  const base: OcfTestEnv = { instance: "demo", rscTmp, meta: { timeout: 20_000 } };
  const steps: Step[] = [
    { label: "meta-data", action: "meta-data", expect: 0, env: { instance: "" } },
    { label: "validate-all", action: "validate-all", expect: 0 },
    {
      label: "monitor (probe)",
      action: "monitor",
      expect: 7,
      env: { ...base, meta: { interval: 0 } },
    },
    { label: "start", action: "start", expect: 0 },
    {
      label: "monitor",
      action: "monitor",
      expect: 0,
      env: { ...base, meta: { interval: 10_000 } },
    },
    { label: "stop", action: "stop", expect: 0 },
    {
      label: "monitor",
      action: "monitor",
      expect: 7,
      env: { ...base, meta: { interval: 10_000 } },
    },
    {
      label: "validate-all op_sleep=abc",
      action: "validate-all",
      expect: 6,
      env: { ...base, params: { op_sleep: "abc" } },
    },
  ];
  console.log("ocfkit demo: the example OCF agent `dummy-agent` through a Pacemaker-style cycle");
  console.log(`agent ${agentBin}\nHA_RSCTMP=${rscTmp} OCF_RESOURCE_INSTANCE=demo\n`);
  let failures = 0;
  try {
    for (const step of steps) {
      const started = performance.now();
      const result = await runAgentProcess(agentBin, step.action, step.env ?? base);
      const ms = Math.round(performance.now() - started);
      const ok = result.exitCode === step.expect;
      if (!ok) failures++;
      const outcome = `${result.exitCode} ${result.exitName ?? "?"}`;
      const extra =
        step.action === "meta-data"
          ? `  ${result.stdout.split("\n").length} lines; ${validates(result.stdout)}`
          : result.exitReason
            ? `  reason: ${result.exitReason}`
            : "";
      const mark = ok ? "ok " : `UNEXPECTED (wanted ${step.expect} ${ocfExitName(step.expect)})`;
      const logs = result.stderr
        .split("\n")
        .filter((line) => line !== "" && !line.startsWith("ocf-exit-reason:"));
      console.log(
        `${mark} $ dummy-agent ${step.label.padEnd(26)} -> ${outcome.padEnd(16)} ${String(ms).padStart(4)} ms${extra}`,
      );
      for (const line of logs) console.log(`      log: ${line}`);
    }
  } finally {
    await rm(rscTmp, { recursive: true, force: true });
  }
  console.log(
    failures === 0
      ? "\nevery action answered as Pacemaker expects"
      : `\n${failures} unexpected result(s)`,
  );
  return failures === 0 ? 0 : 1;
}

process.exitCode = await main();
