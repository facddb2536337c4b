import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { installModuleCodeCache } from "./module-cache.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("installModuleCodeCache", () => {
  it("compiles node_modules CommonJS files with a cache it writes once and reuses", () => {
    const dir = mkdtempSync(join(tmpdir(), "ocfk-modcache-"));
    dirs.push(dir);
    const pkg = join(dir, "node_modules", "fake");
    mkdirSync(pkg, { recursive: true });
    writeFileSync(
      join(pkg, "index.js"),
      'exports.answer = () => 6 * 7; exports.here = __filename; exports.dep = require.resolve("./dep.js");\n',
    );
    writeFileSync(join(pkg, "dep.js"), "module.exports = 1;\n");
    const cacheFile = join(dir, "modules.v8cache");
    const load = () => {
      const req = createRequire(join(dir, "x.js"));
      const path = req.resolve("fake");
      delete req.cache[path];
      return req("fake") as { answer(): number; here: string; dep: string };
    };
    const first = installModuleCodeCache(cacheFile);
    const mod = load();
    first.save();
    expect(mod.answer()).toBe(42);
    expect(mod.here).toBe(join(pkg, "index.js"));
    expect(mod.dep).toBe(join(pkg, "dep.js"));
    const written = statSync(cacheFile);
    expect(written.mode & 0o777).toBe(0o600);
    const second = installModuleCodeCache(cacheFile);
    expect(load().answer()).toBe(42);
    second.save();
    expect(statSync(cacheFile).mtimeMs).toBe(written.mtimeMs);
  });

  it("also caches the files it is given outside node_modules", () => {
    const dir = mkdtempSync(join(tmpdir(), "ocfk-modcache-"));
    dirs.push(dir);
    const cloud = join(dir, "dist", "cloud.cjs");
    mkdirSync(join(dir, "dist"));
    writeFileSync(cloud, "exports.kind = 'cloud';\n");
    const cacheFile = join(dir, "modules.v8cache");
    const load = () => {
      const req = createRequire(join(dir, "dist", "agent.cjs"));
      delete req.cache[cloud];
      return req("./cloud.cjs") as { kind: string };
    };
    const first = installModuleCodeCache(cacheFile, [cloud]);
    expect(load().kind).toBe("cloud");
    first.save();
    const written = statSync(cacheFile);
    expect(written.size).toBeGreaterThan(0);
    const second = installModuleCodeCache(cacheFile, [cloud]);
    expect(load().kind).toBe("cloud");
    second.save();
    expect(statSync(cacheFile).mtimeMs).toBe(written.mtimeMs);
  });
});
