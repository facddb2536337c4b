import { chmod, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

let tmpCounter = 0;

/** Where the kernel publishes the id of the current boot. */
export const defaultBootIdPath = "/proc/sys/kernel/random/boot_id";

/** A JSON file store in the caller's cache directory (HA_RSCTMP): atomic writes, mode 0600. */
export interface CacheStore {
  /** The directory, or undefined when caching is off (memory only). */
  readonly dir: string | undefined;
  /** Reads and JSON-parses `name`; undefined when absent, unreadable or not JSON. */
  read(name: string): Promise<unknown>;
  /** Writes `value` as JSON to `name` atomically with mode 0600; failures are ignored. */
  write(name: string, value: unknown): Promise<void>;
  /** Deletes `name` if present. */
  remove(name: string): Promise<void>;
  /** The current boot id, read once per store. */
  bootId(): Promise<string>;
}

/** Creates a {@link CacheStore} over `dir` (or a memory-only one when `dir` is undefined). */
export function createCacheStore(
  dir: string | undefined,
  bootIdPath = defaultBootIdPath,
): CacheStore {
  const memory = new Map<string, string>();
  let bootIdPromise: Promise<string> | undefined;
  return {
    dir,
    async read(name) {
      let text: string | undefined;
      if (dir === undefined) {
        text = memory.get(name);
      } else {
        text = await readFile(join(dir, name), "utf8").catch(() => undefined);
      }
      if (text === undefined) return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return undefined;
      }
    },
    async write(name, value) {
      const text = JSON.stringify(value);
      if (dir === undefined) {
        memory.set(name, text);
        return;
      }
      const tmp = join(
        dir,
        `.${name}.${process.pid}.${(++tmpCounter).toString(36)}${Math.random().toString(36).slice(2, 8)}`,
      );
      try {
        await mkdir(dir, { recursive: true, mode: 0o700 });
        await writeFile(tmp, text, { mode: 0o600, flag: "wx" });
        await chmod(tmp, 0o600);
        await rename(tmp, join(dir, name));
      } catch {
        // A cache that cannot be written only costs speed: never fail the operation for it.
        await rm(tmp, { force: true }).catch(() => undefined);
      }
    },
    async remove(name) {
      memory.delete(name);
      if (dir !== undefined) await rm(join(dir, name), { force: true }).catch(() => undefined);
    },
    bootId() {
      bootIdPromise ??= readFile(bootIdPath, "utf8").then(
        (text) => text.trim(),
        () => "unknown-boot",
      );
      return bootIdPromise;
    },
  };
}
