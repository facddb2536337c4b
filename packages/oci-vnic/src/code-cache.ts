import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire, Module } from "node:module";
import { basename, dirname } from "node:path";
import { Script } from "node:vm";
import type { PrivateDir } from "@ocfkit/ocf";

/** Largest code cache read back (the SDK bundle's is a few MB). */
const MAX_CACHE_BYTES = 64 * 1024 * 1024;
/** The cache file starts with this, then the source's SHA-256 (32 bytes), then V8's data. */
const MAGIC = Buffer.from("ocfkit-v8cache-1\n");

/** The cache file's name for `file` (one per bundle: a new bundle overwrites it). */
export function codeCacheName(file: string): string {
  return `oci-vnic-${basename(file).replace(/[^\w]/g, "_")}.v8cache`;
}

/**
 * Requires the CommonJS file `file` (a bundle that requires only Node built-ins), compiled with a
 * V8 code cache kept in the private directory `dir`: Node 20 has no `module.enableCompileCache`,
 * and compiling dist/sdk.cjs again costs every new process tens of milliseconds. The cache is
 * bound to the source: it carries the SHA-256 of the source it was made from, checked before V8
 * sees it (V8 itself rejects data made by another Node version or with other flags). Compiled
 * code is only read from the private directory (root's own, 0700, files 0600, no symlinks),
 * and written there at process exit (temp file with `wx`, then rename), so it also holds the
 * functions the process ran. Any failure only means no cache: the bundle still loads.
 */
export function requireWithCodeCache(file: string, dir: PrivateDir): unknown {
  const require = createRequire(file);
  const loaded = require.cache[file];
  if (loaded) return loaded.exports;
  let source: string;
  try {
    source = readFileSync(file, "utf8");
  } catch {
    return require(file);
  }
  const digest = createHash("sha256").update(source).digest();
  const header = Buffer.concat([MAGIC, digest]);
  const name = codeCacheName(file);
  let cachedData: Buffer | undefined;
  try {
    const stored = dir.readBuffer(name, MAX_CACHE_BYTES);
    if (
      stored &&
      stored.length > header.length &&
      stored.subarray(0, header.length).equals(header)
    ) {
      cachedData = stored.subarray(header.length);
    }
  } catch {
    cachedData = undefined;
  }
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname) {${source}\n})`,
    { filename: file, ...(cachedData ? { cachedData } : {}) },
  );
  // A real module in require's cache, so a plain `require(file)` elsewhere gets the same exports.
  const module = new Module(file);
  module.filename = file;
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, require, module, file, dirname(file));
  module.loaded = true;
  require.cache[file] = module;
  if (cachedData === undefined || script.cachedDataRejected === true) {
    process.once("exit", () => {
      try {
        dir.write(name, Buffer.concat([header, script.createCachedData()]));
      } catch {
        // no cache this time: only speed is lost
      }
    });
  }
  return module.exports;
}
