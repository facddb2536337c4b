import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { codeCacheDir, launch } from "./launch.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function bundleIn(dir: string): string {
  const path = join(dir, "agent.cjs");
  writeFileSync(path, 'exports.main = async (argv) => (argv[0] === "ok" ? 0 : 7);\n');
  return path;
}

describe("launch", () => {
  it("runs the bundle's main and writes a root-only V8 code cache once", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ocfk-launch-"));
    dirs.push(dir);
    const bundle = bundleIn(dir);
    const cache = join(dir, "cache");
    expect(await launch(["ok"], bundle, cache)).toBe(0);
    const [file] = readdirSync(cache);
    expect(file).toMatch(/^agent-v\d+[\w.-]+\.v8cache$/);
    expect(statSync(join(cache, file!)).mode & 0o777).toBe(0o600);
    expect(statSync(cache).mode & 0o777).toBe(0o700);
    const written = statSync(join(cache, file!)).mtimeMs;
    expect(await launch(["other"], bundle, cache)).toBe(7);
    // Accepted by V8: not rewritten.
    expect(statSync(join(cache, file!)).mtimeMs).toBe(written);
  });

  it("still runs when the cache directory cannot be written", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ocfk-launch-"));
    dirs.push(dir);
    writeFileSync(join(dir, "not-a-dir"), "");
    expect(await launch(["ok"], bundleIn(dir), join(dir, "not-a-dir", "cache"))).toBe(0);
  });

  it("keeps the cache in HA_RSCTMP", () => {
    expect(codeCacheDir({ HA_RSCTMP: "/run/x" })).toBe("/run/x/ocfkit-ocivip");
    expect(codeCacheDir({})).toBe("/run/resource-agents/ocfkit-ocivip");
  });
});
