import { execFile } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { parseDemoArgs } from "./run-demo.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

it("refuses an unknown demo option by name", () => {
  expect(() => parseDemoArgs(["--agent", "dummy"], "/tmp")).toThrowError(
    /"--agent".*allowed: --agent ocivip\|IPaddr2/,
  );
  expect(parseDemoArgs(["--agent", "IPaddr2", "--token", "1500"], "/x")).toEqual({
    agent: "IPaddr2",
    agentChosen: true,
    tokenMs: 1500,
    latency: "both",
    tls: true,
    outDir: "/x",
    compare: false,
    help: false,
  });
  expect(parseDemoArgs(["--compare"], "/x").compare).toBe(true);
  expect(parseDemoArgs(["--help"], "/x").help).toBe(true);
  expect(() => parseDemoArgs(["--compare", "--agent", "ocivip"], "/x")).toThrowError(
    /--compare runs both agents/,
  );
  expect(() => parseDemoArgs(["--compar"], "/x")).toThrowError(/"--compar".*--compare/);
  expect(parseDemoArgs(["--latency", "realistic"], "/x").latency).toBe("realistic");
  expect(parseDemoArgs(["--plain-http"], "/x").tls).toBe(false);
  expect(() => parseDemoArgs(["--latency", "slow"], "/x")).toThrowError(/"--latency"/);
});

// The README's first command, end to end (IPaddr2: the ocivip path runs in the e2e suite).
it("pnpm demo kills node1 and the VIP answers from node2; writes last-run.json and the report", async () => {
  const out = await mkdtemp(join(tmpdir(), "ocfkit-demo-test-"));
  const result = await new Promise<{ code: number; stdout: string }>((resolve) => {
    execFile(
      "pnpm",
      ["--silent", "demo", "--agent", "IPaddr2", "--out", out],
      { cwd: root, timeout: 150_000 },
      (error, stdout) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout }),
    );
  });
  expect(result.stdout).toContain("kill: SIGKILL every process of node1, link down");
  expect(result.stdout).toMatch(/The VIP was never on two nodes/);
  expect(result.code).toBe(0);
  const lastRun = JSON.parse(await readFile(join(out, "last-run.json"), "utf8"));
  expect(lastRun).toMatchObject({ vipOwnerBefore: "node1", vipOwnerAfter: "node2", tokenMs: 1000 });
  expect(lastRun.failoverSeconds).toBeGreaterThan(0.5);
  expect(lastRun.failoverSeconds).toBeLessThan(15);
  expect(lastRun.clientLostReplies).toBeGreaterThanOrEqual(0);
  const report = await readFile(join(out, "report.html"), "utf8");
  expect(report).toMatch(/<svg[^>]*aria-label="failover timeline"/);
  expect(report).toContain("token lost");
}, 180_000);
