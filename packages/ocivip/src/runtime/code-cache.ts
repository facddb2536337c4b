import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { Script } from "node:vm";
import type { PrivateDir } from "@ocfkit/ocf";

/** Longest code cache read (a bundle's is a few MB at most). */
const MAX_CACHE_BYTES = 64 * 1024 * 1024;
const DIGEST_BYTES = 32;

/** A bundle loaded by {@link loadBundle}: its exports, and `save()` for after the action. */
export interface LoadedBundle {
  readonly exports: unknown;
  /** Writes a new code cache when there was none or V8 rejected it (after the run, so lazily compiled functions are in it). */
  save(): void;
}

/**
 * Loads a CommonJS bundle as a classic script with a V8 code cache (Node 20 has no
 * `module.enableCompileCache`). The cache is file `cacheName` of the resource's private
 * directory only, and bound to the bundle's content: it starts with the sha256 of the Node
 * version, architecture and bundle source, and is used only when that matches (V8 itself binds
 * a cache to the source length alone). A mismatched or rejected cache is replaced once; with no
 * directory, no cache. The bundle's `require` resolves beside it.
 */
export function loadBundle(
  file: string,
  dir: PrivateDir | undefined,
  cacheName: string,
): LoadedBundle {
  const source = readFileSync(file);
  // Loaded here, not at the top: the quick path never needs it.
  const { createHash } = process.getBuiltinModule("node:crypto");
  const digest = createHash("sha256")
    .update(`${process.version}\0${process.arch}\0`)
    .update(source)
    .digest();
  let cachedData: Buffer | undefined;
  const cache = dir?.readBuffer(cacheName, MAX_CACHE_BYTES);
  if (cache !== undefined) {
    if (cache.length > DIGEST_BYTES && cache.subarray(0, DIGEST_BYTES).equals(digest)) {
      cachedData = cache.subarray(DIGEST_BYTES);
    } else {
      dir?.remove(cacheName);
    }
  }
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname) {${source.toString("utf8")}\n})`,
    { filename: file, ...(cachedData ? { cachedData } : {}) },
  );
  const module = { exports: {} as unknown };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run(module.exports, createRequire(file), module, file, dirname(file));
  return {
    get exports() {
      return module.exports;
    },
    save() {
      if (dir === undefined || (cachedData !== undefined && !script.cachedDataRejected)) return;
      try {
        dir.write(cacheName, Buffer.concat([digest, script.createCachedData()]));
      } catch {
        // No cache this time: correctness does not depend on it.
      }
    },
  };
}
