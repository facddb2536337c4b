import { basename } from "node:path";
import { type PrivateDir, runWithCodeCache } from "@ocfkit/ocf/files";

/** The cache file's name for `file` (one per bundle: a new bundle overwrites it). */
export function codeCacheName(file: string): string {
  return `oci-vnic-${basename(file).replace(/[^\w]/g, "_")}.v8cache`;
}

/**
 * Requires the CommonJS bundle `file` (dist/sdk.cjs) compiled with a V8 code cache in the
 * private directory `dir` (@ocfkit/ocf's `runWithCodeCache`: bound to the bundle's content, read
 * only from that directory), saved at process exit so it holds the functions the process ran.
 * Any failure only means no cache: the bundle still loads.
 */
export function requireWithCodeCache(file: string, dir: PrivateDir): unknown {
  const script = runWithCodeCache(file, dir, codeCacheName(file), { register: true });
  process.once("exit", () => script.saveCodeCache());
  return script.exports;
}
