import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
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

  it("dist/files.js loads no zod, only Node built-ins, and shares its functions with dist/index.js", async () => {
    const seen = new Set<string>();
    const bare = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
        const spec = m[1]!;
        if (spec.startsWith(".")) visit(resolve(dirname(file), spec));
        else bare.add(spec);
      }
    };
    visit(join(pkg, "dist", "files.js"));
    expect(seen.size).toBeGreaterThan(1);
    const nonBuiltin = [...bare].filter(
      (s) =>
        !s.startsWith("node:") &&
        !["fs", "path", "module", "vm", "util", "crypto", "os"].includes(s),
    );
    expect(nonBuiltin).toEqual([]);
    const files = await import(`${pkg}/dist/files.js`);
    const index = await import(`${pkg}/dist/index.js`);
    expect(files.writeFileAtomic).toBe(index.writeFileAtomic);
    expect(files.openPrivateDir).toBe(index.openPrivateDir);
    expect(files.runWithCodeCache).toBe(index.runWithCodeCache);
  });
});
