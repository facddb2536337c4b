import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";

// Each load is a new process, as for an agent: the cache is written at its exit.
let dir: string;
let bundle: string;
let cacheDir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "ocfk-codecache-"));
  bundle = join(dir, "sdk.cjs");
  cacheDir = join(dir, "cache");
  writeBundle(1);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeBundle(version: number): void {
  writeFileSync(
    bundle,
    `const { createHash } = require("node:crypto");
exports.version = ${version};
exports.digest = (s) => createHash("sha256").update(s).digest("hex").slice(0, 8);
exports.where = __filename;`,
  );
}

function load(): { version: number; digest: string; where: string; same: boolean } {
  const script = `import { requireWithCodeCache } from ${JSON.stringify(fileURLToPath(new URL("./code-cache.ts", import.meta.url)))};
import { createRequire } from "node:module";
const m = requireWithCodeCache(${JSON.stringify(bundle)}, ${JSON.stringify(cacheDir)});
const again = createRequire(import.meta.url)(${JSON.stringify(bundle)});
process.stdout.write(JSON.stringify({ version: m.version, digest: m.digest("x"), where: m.where, same: again === m }));`;
  const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    encoding: "utf8",
  });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout);
}

const caches = () => readdirSync(cacheDir).filter((f) => f.endsWith(".v8cache"));

it("loads the bundle, writes its code cache at exit (0600), reuses it, replaces a bad, unsafe or stale one", () => {
  // Registered as a module: a plain require of the file afterwards gets the same exports.
  expect(load()).toEqual({ version: 1, digest: "2d711642", where: bundle, same: true });
  const [first] = caches();
  expect(caches()).toHaveLength(1);
  const file = join(cacheDir, first!);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(statSync(cacheDir).mode & 0o777).toBe(0o700);
  const { ino } = statSync(file);

  // Accepted by V8: not written again.
  expect(load().version).toBe(1);
  expect(statSync(file).ino).toBe(ino);

  // Garbage is rejected by V8: the bundle still loads and a good cache replaces it.
  writeFileSync(file, "not a code cache");
  expect(load().digest).toBe("2d711642");
  expect(statSync(file).size).toBeGreaterThan(100);
  expect(statSync(file).ino).not.toBe(ino);

  // A cache others could have written is not trusted: ignored, then replaced by one of ours.
  const before = statSync(file).ino;
  chmodSync(file, 0o666);
  expect(load().version).toBe(1);
  expect(statSync(file).ino).not.toBe(before);
  expect(statSync(file).mode & 0o777).toBe(0o600);

  // A new bundle gets its own cache; the old one is removed.
  writeBundle(2);
  expect(load().version).toBe(2);
  expect(caches()).toHaveLength(1);
  expect(caches()[0]).not.toBe(first);
}, 60_000);
