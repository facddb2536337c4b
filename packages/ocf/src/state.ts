import { close, fsync, mkdir, open, readFile, rename, rm, write } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { GenericError } from "./errors.js";

/** Files under `HA_RSCTMP` that belong to one resource instance (gone after a reboot). */
export interface StateStore {
  /** The directory holding the files (`HA_RSCTMP`). */
  readonly dir: string;
  /** Absolute path of the file for `key`. */
  path(key: string): string;
  /** Reads a file; `undefined` when it does not exist. */
  read(key: string): Promise<string | undefined>;
  /** Writes a file atomically: a temporary file, fsync, then rename over the old one. */
  write(key: string, data: string): Promise<void>;
  /** Removes a file; succeeds when it is already gone. */
  remove(key: string): Promise<void>;
  /** Whether the file exists. */
  exists(key: string): Promise<boolean>;
}

/** Options of {@link createStateStore}. */
export interface StateStoreOptions {
  /** Directory, normally `HA_RSCTMP`. */
  readonly dir: string;
  /** Prefix of every file name, normally `<agent>-<instance>`. */
  readonly prefix: string;
}

const KEY = /^[A-Za-z0-9._-]+$/;

function safe(part: string): string {
  return part.replace(/[^A-Za-z0-9._-]/g, "_");
}

let tempCounter = 0;

// Callback fs, promisified: node:fs/promises would load the streams machinery on a cold start.
const fsAsync = {
  close: promisify(close),
  fsync: promisify(fsync),
  mkdir: promisify(mkdir),
  open: promisify(open),
  readFile: promisify(readFile),
  rename: promisify(rename),
  rm: promisify(rm),
  write: promisify(write),
};

/**
 * Writes a file atomically: a temporary file in the same directory (created if missing), fsync,
 * then rename over the target, so readers see the old or the new content, never a torn one.
 */
export async function writeFileAtomic(target: string, data: string): Promise<void> {
  // pid + time + counter is unique enough with O_EXCL ("wx"), and spares loading node:crypto.
  const temp = `${target}.${process.pid}-${Date.now().toString(36)}-${++tempCounter}.tmp`;
  try {
    await fsAsync.mkdir(dirname(target), { recursive: true });
    const fd = await fsAsync.open(temp, "wx", 0o600);
    try {
      await fsAsync.write(fd, data, null, "utf8");
      await fsAsync.fsync(fd);
    } finally {
      await fsAsync.close(fd);
    }
    await fsAsync.rename(temp, target);
  } catch (error) {
    // Best-effort cleanup: its own failure (e.g. ENOTDIR) must not hide the original error.
    await fsAsync.rm(temp, { force: true }).catch(() => undefined);
    throw new GenericError(`cannot write state file ${target}`, { cause: error });
  }
}

/**
 * Creates the state helpers for one resource instance. File names are
 * `<prefix>.<key>` with unsafe characters (e.g. `:` of clone instances) replaced by `_`.
 */
export function createStateStore(options: StateStoreOptions): StateStore {
  const prefix = safe(options.prefix);
  const path = (key: string): string => {
    if (!KEY.test(key))
      throw new TypeError(`state key "${key}": use letters, digits, ".", "_", "-"`);
    return join(options.dir, `${prefix}.${key}`);
  };
  return {
    dir: options.dir,
    path,
    async read(key) {
      try {
        return await fsAsync.readFile(path(key), "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw new GenericError(`cannot read state file ${path(key)}`, { cause: error });
      }
    },
    write: (key, data) => writeFileAtomic(path(key), data),
    async remove(key) {
      try {
        await fsAsync.rm(path(key), { force: true });
      } catch (error) {
        throw new GenericError(`cannot remove state file ${path(key)}`, { cause: error });
      }
    },
    async exists(key) {
      return (await this.read(key)) !== undefined;
    },
  };
}
