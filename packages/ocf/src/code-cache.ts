import { readFileSync } from "node:fs";
import { createRequire, Module } from "node:module";
import { dirname } from "node:path";
import { Script } from "node:vm";
import type { PrivateDir } from "./private-dir.js";

/** Longest code cache read back (a bundle's is a few MB at most). */
const MAX_CACHE_BYTES = 64 * 1024 * 1024;
const DIGEST_BYTES = 32;

/** A CommonJS file run by {@link runWithCodeCache}. */
export interface CachedScript {
  /** What the file exported (`module.exports`). */
  readonly exports: unknown;
  /** Whether V8 used a code cache for it. */
  readonly usedCache: boolean;
  /**
   * Writes a new code cache when there was none or V8 rejected it. Call it after the work (e.g. at
   * exit), so the functions that ran are compiled into it. Failures only mean no cache.
   */
  saveCodeCache(): void;
}

/**
 * Runs the CommonJS file `file` (a bundle) as a module, compiled with a V8 code cache kept as
 * `cacheName` in the private directory `dir` (Node 20 has no `module.enableCompileCache`). The
 * cache is bound to the content: it starts with the SHA-256 of the Node version, architecture and
 * source, checked before V8 sees it (V8 itself binds a cache only to the source length); a
 * mismatched one is removed. With no directory, no cache. The file's `require` resolves beside it.
 * With `register`, the module is put in `require`'s cache (and taken from it when already there),
 * so a plain `require(file)` elsewhere returns the same exports.
 */
export function runWithCodeCache(
  file: string,
  dir: PrivateDir | undefined,
  cacheName: string,
  options: { readonly register?: boolean } = {},
): CachedScript {
  const require = createRequire(file);
  const loaded = options.register ? require.cache[file] : undefined;
  if (loaded) return { exports: loaded.exports, usedCache: false, saveCodeCache: () => undefined };
  const source = readFileSync(file);
  // Loaded here, not at the top: callers on a fast path that never run a bundle skip it.
  const { createHash } = process.getBuiltinModule("node:crypto") as typeof import("node:crypto");
  const digest = createHash("sha256")
    .update(`${process.version}\0${process.arch}\0`)
    .update(source)
    .digest();
  let cachedData: Buffer | undefined;
  const stored = dir?.readBuffer(cacheName, MAX_CACHE_BYTES);
  if (stored !== undefined) {
    if (stored.length > DIGEST_BYTES && stored.subarray(0, DIGEST_BYTES).equals(digest)) {
      cachedData = stored.subarray(DIGEST_BYTES);
    } else {
      dir?.remove(cacheName);
    }
  }
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname) {${source.toString("utf8")}\n})`,
    { filename: file, ...(cachedData ? { cachedData } : {}) },
  );
  const module = new Module(file);
  module.filename = file;
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, require, module, file, dirname(file));
  module.loaded = true;
  if (options.register) require.cache[file] = module;
  const usedCache = cachedData !== undefined && script.cachedDataRejected !== true;
  return {
    get exports() {
      return module.exports;
    },
    usedCache,
    saveCodeCache() {
      if (dir === undefined || usedCache) return;
      try {
        dir.write(cacheName, Buffer.concat([digest, script.createCachedData()]));
      } catch {
        // No cache this time: only speed is lost.
      }
    },
  };
}
