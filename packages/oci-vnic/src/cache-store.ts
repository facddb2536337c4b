import { lstatSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { openPrivateDir, type PrivateDir } from "@ocfkit/ocf/files";

/** Where the kernel publishes the id of the current boot. */
export const defaultBootIdPath = "/proc/sys/kernel/random/boot_id";

/** Receives the cache's own warnings (a refused directory, once per store). */
export type CacheLog = (level: "debug" | "warn", message: string) => void;

/** What `read` checks a document with: a zod schema (only `safeParse` is used). */
export interface DocumentSchema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false };
}

/**
 * A JSON document store in the caller's cache directory (HA_RSCTMP), used only when that
 * directory passes `openPrivateDir` (root's own, 0700, no symlinks): otherwise nothing is cached
 * across processes (correct, only slower) and one warning says why.
 */
export interface CacheStore {
  /** The private directory, or undefined when caching is off or the directory was refused. */
  privateDir(): PrivateDir | undefined;
  /**
   * Reads `name` and checks it with `schema`; a document that is not JSON or does not match is
   * deleted (the caller rebuilds it). Undefined when absent or deleted.
   */
  read<T>(name: string, schema: DocumentSchema<T>): Promise<T | undefined>;
  /** Writes `value` as JSON to `name` atomically (wx temp, fsync, rename); failures are ignored. */
  write(name: string, value: unknown): Promise<void>;
  /** Deletes `name` if present. */
  remove(name: string): Promise<void>;
  /** The current boot id, read once per store. */
  bootId(): Promise<string>;
}

/** The deepest existing directory above `path`: the private levels are created below it. */
function existingBase(path: string): string {
  let dir = dirname(resolve(path));
  for (;;) {
    try {
      lstatSync(dir);
      return dir;
    } catch {
      const up = dirname(dir);
      if (up === dir) return dir;
      dir = up;
    }
  }
}

/** Creates a {@link CacheStore} over `dir` (or a memory-only one when `dir` is undefined). */
export function createCacheStore(
  dir: string | undefined,
  bootIdPath = defaultBootIdPath,
  log: CacheLog = () => undefined,
): CacheStore {
  const memory = new Map<string, string>();
  let bootIdPromise: Promise<string> | undefined;
  let opened: PrivateDir | null | undefined;
  const open = (): PrivateDir | undefined => {
    if (opened === undefined) {
      opened = null;
      if (dir !== undefined) {
        const result = openPrivateDir(resolve(dir), { base: existingBase(dir) });
        if (result.ok) opened = result.dir;
        else log("warn", `not caching in ${dir}: ${result.reason}; every action asks the services`);
      }
    }
    return opened ?? undefined;
  };
  return {
    privateDir: open,
    async read(name, schema) {
      const pd = open();
      const text = pd ? pd.read(name) : memory.get(name);
      if (text === undefined) return undefined;
      let parsed: ReturnType<typeof schema.safeParse> | undefined;
      try {
        parsed = schema.safeParse(JSON.parse(text));
      } catch {
        parsed = undefined;
      }
      if (parsed?.success) return parsed.data;
      log("debug", `cached ${name} is malformed: deleted, rebuilding it`);
      memory.delete(name);
      try {
        pd?.remove(name);
      } catch {
        // the next write replaces it
      }
      return undefined;
    },
    async write(name, value) {
      const text = JSON.stringify(value);
      const pd = open();
      if (!pd) {
        memory.set(name, text);
        return;
      }
      try {
        pd.write(name, text);
      } catch (e) {
        // A cache that cannot be written only costs speed: never fail the operation for it.
        log("debug", `cannot write cached ${name}: ${(e as Error).message}`);
      }
    },
    async remove(name) {
      memory.delete(name);
      try {
        open()?.remove(name);
      } catch {
        // already gone or unremovable: reads check it anyway
      }
    },
    bootId() {
      bootIdPromise ??= Promise.resolve().then(() => {
        try {
          return readFileSync(bootIdPath, "utf8").trim() || "unknown-boot";
        } catch {
          return "unknown-boot";
        }
      });
      return bootIdPromise;
    },
  };
}
