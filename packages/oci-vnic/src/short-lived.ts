import { createRequire } from "node:module";

let tuned = false;

/**
 * Tunes V8 for a process that makes a few OCI requests and exits, such as an OCF agent action.
 * Call it once, at the start of such a program (never in a long-running one: it is process-wide).
 *
 * Node's `fetch` parses HTTP with WebAssembly; V8 first compiles it quickly (Liftoff), then again
 * with TurboFan in background threads, and a process that is done waits for that second compile
 * before it exits: ≈ 100 ms per process here. This makes V8 keep the Liftoff code
 * (`--liftoff-only`) and skip TurboFan for JavaScript too (`--no-opt`: the code runs a handful of
 * times). Flags are part of what V8 checks code caches against, Node's built-in modules included,
 * so the built-ins a request needs (fetch, crypto, streams) are loaded first, under the default
 * flags, and keep their embedded caches.
 * @example
 * import { createOciVnic, tuneForShortLivedProcess } from "@ocfkit/oci-vnic";
 * tuneForShortLivedProcess();
 * const vnics = createOciVnic({ cacheDir: process.env.HA_RSCTMP });
 */
export function tuneForShortLivedProcess(): void {
  if (tuned) return;
  tuned = true;
  const require = createRequire(import.meta.url);
  void globalThis.fetch;
  void globalThis.Headers;
  require("node:crypto");
  require("node:stream");
  (require("node:v8") as typeof import("node:v8")).setFlagsFromString("--liftoff-only --no-opt");
}
