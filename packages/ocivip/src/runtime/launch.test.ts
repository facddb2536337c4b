import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openPrivateDir, type PrivateDir } from "@ocfkit/ocf";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadBundle } from "./code-cache.js";
import { FILES, resourceDirPath } from "./files.js";
import { launch } from "./launch.js";

let base: string;
let dir: PrivateDir;
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), "ocfk-launch-"));
  const opened = openPrivateDir(join(base, "private"), { base });
  if (!opened.ok) throw new Error(opened.reason);
  dir = opened.dir;
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

/** A bundle whose main answers `status`; sources of one length whatever the digit. */
function bundle(name: string, status: number): string {
  const path = join(base, name);
  writeFileSync(path, `exports.main = async () => ${status};\nexports.f = () => ${status};\n`);
  return path;
}

describe("loadBundle", () => {
  it("writes a private code cache once, starting with the digest of its source, and reuses it", () => {
    const file = bundle("agent.cjs", 3);
    const first = loadBundle(file, dir, "agent.v8cache");
    first.save();
    const cache = dir.file("agent.v8cache");
    expect(statSync(cache).mode & 0o777).toBe(0o600);
    const written = statSync(cache).mtimeMs;
    const second = loadBundle(file, dir, "agent.v8cache");
    second.save();
    expect((second.exports as { f(): number }).f()).toBe(3);
    // Accepted: not rewritten.
    expect(statSync(cache).mtimeMs).toBe(written);
  });

  it("never runs code from a cache made for another source of the same length", () => {
    const file = bundle("agent.cjs", 3);
    const planted = loadBundle(file, dir, "agent.v8cache");
    (planted.exports as { f(): number }).f();
    planted.save();
    const cacheOf3 = readFileSync(dir.file("agent.v8cache"));
    // The same length, other code: V8 alone would accept the old cache and run `3`.
    bundle("agent.cjs", 7);
    const loaded = loadBundle(file, dir, "agent.v8cache");
    expect((loaded.exports as { f(): number }).f()).toBe(7);
    loaded.save();
    expect(readFileSync(dir.file("agent.v8cache")).equals(cacheOf3)).toBe(false);
  });

  it("removes a corrupt or truncated cache and writes a good one in its place", () => {
    const file = bundle("agent.cjs", 3);
    for (const bad of [Buffer.from("garbage"), Buffer.alloc(0)]) {
      dir.write("agent.v8cache", bad);
      const loaded = loadBundle(file, dir, "agent.v8cache");
      expect((loaded.exports as { f(): number }).f()).toBe(3);
      loaded.save();
      expect(statSync(dir.file("agent.v8cache")).size).toBeGreaterThan(32);
    }
  });

  it("runs with no cache at all when there is no private directory", () => {
    const loaded = loadBundle(bundle("agent.cjs", 5), undefined, "agent.v8cache");
    loaded.save();
    expect((loaded.exports as { f(): number }).f()).toBe(5);
  });
});

describe("launch", () => {
  it("runs the agent bundle's main with its code cache in the resource's private directory", async () => {
    writeFileSync(
      join(base, "agent.cjs"),
      "exports.main = async (argv) => (argv[0] === 'start' ? 0 : 7);",
    );
    const env = { HA_RSCTMP: base, OCF_RESOURCE_INSTANCE: "vip:0" };
    expect(await launch(["meta-data"], base, env)).toBe(7);
    // meta-data is no action on the resource: it makes no directory.
    expect(existsSync(join(base, "ocfkit-ocivip"))).toBe(false);
    expect(await launch(["start"], base, env)).toBe(0);
    // A missing HA_RSCTMP is made (0755, shared with other agents), as the shell agents do.
    const fresh = { ...env, HA_RSCTMP: join(base, "rsctmp") };
    expect(await launch(["start"], base, fresh)).toBe(0);
    expect(statSync(join(base, "rsctmp")).mode & 0o777).toBe(0o755);
    expect(existsSync(join(resourceDirPath(fresh), FILES.agentCodeCache))).toBe(true);
    const resource = resourceDirPath(env);
    expect(resource).toBe(join(base, "ocfkit-ocivip", "vip.3a0"));
    expect(statSync(resource).mode & 0o777).toBe(0o700);
    expect(statSync(join(resource, FILES.agentCodeCache)).mode & 0o777).toBe(0o600);
  });
});
