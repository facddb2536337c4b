import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

// The published files, as a user's project loads them (`@ocfkit/ocf` and `@ocfkit/ocf/testing`
// resolve to dist/index.js and dist/testing.js): errors thrown by an agent built from one entry
// are mapped by `runAction` from the other.
const pkg = fileURLToPath(new URL("..", import.meta.url));

describe("built entries share one copy of every class", () => {
  beforeAll(() => {
    execFileSync("pnpm", ["exec", "tsup", "--silent"], { cwd: pkg, stdio: "ignore" });
  }, 120_000);

  it("runAction from dist/testing.js maps errors thrown with dist/index.js's classes", () => {
    // Inside the package, so `zod` resolves as it would for a user who installed it.
    const dir = mkdtempSync(join(pkg, ".built-test-"));
    try {
      const script = join(dir, "check.mjs");
      writeFileSync(
        script,
        `import { defineAgent, InstallationError, NotRunningError, ocfParam } from ${JSON.stringify(`${pkg}/dist/index.js`)};
import { runAction } from ${JSON.stringify(`${pkg}/dist/testing.js`)};
import { z } from "zod";
const agent = defineAgent({
  name: "built", version: "1.0", shortdesc: "s", longdesc: "l",
  parameters: z.object({ p: ocfParam(z.string().default("x"), { shortdesc: "p" }) }),
  actions: {
    start: () => { throw new InstallationError("tool missing"); },
    stop: () => undefined,
    monitor: () => { throw new NotRunningError("not here"); },
  },
});
const start = await runAction(agent, "start");
const monitor = await runAction(agent, "monitor");
console.log(JSON.stringify({ start: [start.exitCode, start.exitReason], monitor: monitor.exitCode }));
`,
      );
      const out = execFileSync("node", [script], { cwd: pkg, encoding: "utf8" });
      expect(JSON.parse(out)).toEqual({ start: [5, "tool missing"], monitor: 7 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
