import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

it("pnpm demo runs the example agent through start/monitor/stop and succeeds", async () => {
  const result = await new Promise<{ code: number; stdout: string }>((resolve) => {
    execFile("pnpm", ["--silent", "demo"], { cwd: root, timeout: 120_000 }, (error, stdout) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout });
    });
  });
  expect(result.stdout).toMatch(/ok {2}\$ dummy-agent start\s+-> 0 SUCCESS/);
  expect(result.stdout).toMatch(/ok {2}\$ dummy-agent stop\s+-> 0 SUCCESS/);
  expect(result.stdout).toContain("every action answered as Pacemaker expects");
  expect(result.code).toBe(0);
}, 180_000);
