import { type PrivateDir, runWithCodeCache } from "@ocfkit/ocf";

/** A bundle loaded by {@link loadBundle}: its exports, and `save()` for after the action. */
export interface LoadedBundle {
  readonly exports: unknown;
  /** Writes a new code cache when there was none or V8 rejected it (after the run, so lazily compiled functions are in it). */
  save(): void;
}

/**
 * Loads a CommonJS bundle with a V8 code cache kept as `cacheName` in the resource's private
 * directory (@ocfkit/ocf's `runWithCodeCache`, the one code-cache function of ocfkit: the cache is
 * bound to the bundle's content and read only from that directory). With no directory, no cache.
 */
export function loadBundle(
  file: string,
  dir: PrivateDir | undefined,
  cacheName: string,
): LoadedBundle {
  const script = runWithCodeCache(file, dir, cacheName);
  return {
    get exports() {
      return script.exports;
    },
    save: () => script.saveCodeCache(),
  };
}
