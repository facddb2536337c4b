import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openPrivateDir } from "@ocfkit/ocf";
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
import { openPrivateDir } from "@ocfkit/ocf";
import { createRequire } from "node:module";
const opened = openPrivateDir(${JSON.stringify(cacheDir)});
if (!opened.ok) throw new Error(opened.reason);
const m = requireWithCodeCache(${JSON.stringify(bundle)}, opened.dir);
const again = createRequire(import.meta.url)(${JSON.stringify(bundle)});
process.stdout.write(JSON.stringify({ version: m.version, digest: m.digest("x"), where: m.where, same: again === m }));`;
  const r = spawnSync(
    process.execPath,
    ["--conditions=@ocfkit/source", "--import", "tsx", "--input-type=module", "-e", script],
    {
      cwd: fileURLToPath(new URL("..", import.meta.url)),
      encoding: "utf8",
    },
  );
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout);
}

const caches = () => readdirSync(cacheDir).filter((f) => f.endsWith(".v8cache"));

it("loads the bundle, writes its code cache at exit (0600), reuses it, rebuilds a bad or foreign one", () => {
  // Registered as a module: a plain require of the file afterwards gets the same exports.
  expect(load()).toEqual({ version: 1, digest: "2d711642", where: bundle, same: true });
  expect(caches()).toEqual(["oci-vnic-sdk_cjs.v8cache"]);
  const file = join(cacheDir, caches()[0]!);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(statSync(cacheDir).mode & 0o777).toBe(0o700);
  const { ino } = statSync(file);
  // Bound to the source: the cache starts with the SHA-256 of Node's version, arch and the bundle.
  const bound = (source: Buffer) =>
    createHash("sha256").update(`${process.version}\0${process.arch}\0`).update(source).digest();
  const digest = bound(readFileSync(bundle));
  expect(readFileSync(file).subarray(0, 32).equals(digest)).toBe(true);

  // Accepted: not written again.
  expect(load().version).toBe(1);
  expect(statSync(file).ino).toBe(ino);

  // Garbage (no header) is never handed to V8: the bundle loads and a good cache replaces it.
  writeFileSync(file, "not a code cache", { mode: 0o600 });
  expect(load().digest).toBe("2d711642");
  expect(statSync(file).size).toBeGreaterThan(100);
  expect(readFileSync(file).subarray(0, 32).equals(digest)).toBe(true);

  // Another bundle's cache under the right name (a stale header) is not used, and is replaced.
  const good = readFileSync(file);
  const stale = Buffer.from(good);
  stale[20] = stale[20]! ^ 0xff;
  writeFileSync(file, stale, { mode: 0o600 });
  expect(load().version).toBe(1);
  expect(readFileSync(file).subarray(0, 32).equals(digest)).toBe(true);

  // A new bundle gets a new cache in the same file.
  writeBundle(2);
  expect(load().version).toBe(2);
  expect(caches()).toHaveLength(1);
  const next = bound(readFileSync(bundle));
  expect(readFileSync(file).subarray(0, 32).equals(next)).toBe(true);
}, 60_000);

it("never reads a code cache others could have written: the directory is refused", () => {
  // The caller (sdk.ts) only passes a directory openPrivateDir accepted; a group-writable
  // directory or a foreign file is refused before any code cache is read.
  chmodSync(cacheDir, 0o770);
  expect(openPrivateDir(cacheDir).ok).toBe(false);
  chmodSync(cacheDir, 0o700);
  const file = join(cacheDir, caches()[0]!);
  chmodSync(file, 0o666);
  expect(openPrivateDir(cacheDir).ok).toBe(false);
  chmodSync(file, 0o600);
  expect(openPrivateDir(cacheDir).ok).toBe(true);
});
