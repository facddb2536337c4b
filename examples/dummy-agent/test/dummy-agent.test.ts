import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, cp, mkdir, mkdtemp, readdir, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join, relative } from "node:path";
import { OcfExit } from "@ocfkit/ocf";
import { assertOcfResult, runAgentProcess } from "@ocfkit/ocf/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentBin, ensureBuilt } from "./built-agent.js";
import { schemas, xmllint } from "./xmllint.js";

function run(
  command: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/**
 * Makes a copied tree readable (and its directories traversable) by every user: `root` and the
 * directories between it and `top` (our mkdtemp directory, included), never anything above `top`.
 */
async function chmodTree(root: string, top: string): Promise<void> {
  const within = relative(top, root);
  if (within.startsWith("..") || isAbsolute(within))
    throw new Error(`${root} is not inside ${top}`);
  for (let path = root; ; path = dirname(path)) {
    await chmod(path, 0o755);
    if (path === top) break;
  }
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    await chmod(path, entry.isDirectory() || entry.name === "dummy-agent" ? 0o755 : 0o644);
  }
}

let dir: string;
beforeAll(async () => {
  ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), "dummy-agent-"));
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the built dummy-agent executable", () => {
  it("passes ocf-tester", async () => {
    // ocf-tester runs meta-data as user nobody, who may not reach a checkout under /root: test a
    // world-readable copy of the executable (the bin and its bundle) instead.
    const copy = join(dir, "tester");
    const agentDir = join(agentBin, "..", "..");
    for (const part of ["bin", "dist"]) {
      await cp(join(agentDir, part), join(copy, part), { recursive: true });
    }
    await chmodTree(copy, dir);
    const result = await run("/usr/sbin/ocf-tester", [
      "-n",
      "test",
      "-o",
      `state=${join(dir, "tester.state")}`,
      join(copy, "bin", "dummy-agent"),
    ]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain("passed all tests");
  }, 120_000);

  it("prints OCF 1.1 meta-data, with no environment, valid for pcs and ocf-tester, advertising reload-agent", async () => {
    // Only PATH, so that `#!/usr/bin/env node` finds node: no OCF variable at all.
    const result = await run("env", [
      "-i",
      `PATH=${process.env.PATH ?? ""}`,
      agentBin,
      "meta-data",
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/<resource-agent name="dummy-agent"/);
    expect(result.stdout).toContain('<action name="reload-agent"');
    for (const schema of [schemas.pcs11, schemas.ocfTester]) {
      const lint = await xmllint(result.stdout, schema);
      expect(lint.code, lint.output).toBe(0);
    }
  });

  it("exits 6 in validate-all when op_sleep is not an integer, naming op_sleep", async () => {
    const result = await runAgentProcess(agentBin, "validate-all", {
      params: { op_sleep: "abc" },
      rscTmp: dir,
    });
    assertOcfResult(result, { exitCode: OcfExit.ERR_CONFIGURED, exitReason: /op_sleep/ });
    expect(result.exitReason).toBe('parameter "op_sleep": expected an integer, got "abc"');
  });

  it("runs start, monitor, probe and stop as separate processes", async () => {
    const env = { instance: "cycle", rscTmp: dir };
    const monitor = (interval: number) =>
      runAgentProcess(agentBin, "monitor", { ...env, meta: { interval } });
    assertOcfResult(await monitor(0), { exitCode: OcfExit.NOT_RUNNING, exitReason: /is absent/ });
    assertOcfResult(await runAgentProcess(agentBin, "start", env), {
      exitCode: 0,
      exitReason: null,
    });
    expect(existsSync(join(dir, "dummy-agent-cycle.state"))).toBe(true);
    assertOcfResult(await monitor(10_000), { exitCode: 0 });
    assertOcfResult(await monitor(0), { exitCode: 0 });
    assertOcfResult(await runAgentProcess(agentBin, "stop", env), { exitCode: 0 });
    assertOcfResult(await monitor(10_000), { exitCode: OcfExit.NOT_RUNNING });
    assertOcfResult(await runAgentProcess(agentBin, "promote", env), {
      exitCode: OcfExit.ERR_UNIMPLEMENTED,
      exitReason: /"promote" is not implemented/,
    });
  });
});

describe("installed as an OCF agent for Pacemaker's tools", () => {
  const provider = `ocfkit-test-${randomBytes(4).toString("hex")}`;
  const providerDir = `/usr/lib/ocf/resource.d/${provider}`;
  beforeAll(async () => {
    await mkdir(providerDir, { recursive: true });
    await symlink(agentBin, join(providerDir, "dummy-agent"));
  });
  afterAll(async () => {
    await rm(providerDir, { recursive: true, force: true });
  });

  it("crm_resource --show-metadata prints its meta-data", async () => {
    const result = await run("crm_resource", ["--show-metadata", `ocf:${provider}:dummy-agent`]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('<resource-agent name="dummy-agent" version="1.0.0">');
    expect(result.stdout).toContain('<parameter name="op_sleep"');
  });

  it("crm_resource --validate runs validate-all with the given options", async () => {
    const args = ["--validate", "--class", "ocf", "--agent", "dummy-agent", "--provider", provider];
    const ok = await run("crm_resource", [...args, "--option", `state=${join(dir, "crm.state")}`]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/returned 0 \(ok\)/);
    const bad = await run("crm_resource", [...args, "--option", "op_sleep=abc"]);
    expect(bad.code).toBe(OcfExit.ERR_CONFIGURED);
    expect(bad.stdout).toMatch(/returned 6 \(not configured: parameter "op_sleep"/);
  });
});
