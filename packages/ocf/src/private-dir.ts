import {
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  type Stats,
  writeSync,
} from "node:fs";
import { dirname, isAbsolute, join, resolve, sep } from "node:path";

// A root agent's files under HA_RSCTMP: the trust rule of ocfkit, in one module.
// A directory is trusted when the agent's user owns it, no one else may read or write it
// (mode 0700), it is no symlink, and every directory above it is no symlink and can only be
// changed by root or the agent's user (or is sticky, like /tmp). A file is trusted when it is a
// regular file in such a directory, owned by the agent's user, with no group or other bits.
// Everything is checked with lstat/fstat on what is opened, never through a symlink.
// Synchronous on purpose: the files are small, and agents' launchers read them before anything loads.

/** Longest file a private directory hands out by default (cached documents are small). */
export const DEFAULT_MAX_PRIVATE_FILE_BYTES = 1024 * 1024;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
const S_ISVTX = 0o1000;
// O_NOFOLLOW: a symlink at the final component fails with ELOOP instead of being followed.
// O_NONBLOCK: opening a FIFO planted under a trusted name does not block.
const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

let tempCounter = 0;

function euid(): number {
  return process.geteuid?.() ?? 0;
}

/** Why `st` (an ancestor of a private directory) can be changed by someone else, if it can. */
function ancestorProblem(path: string, st: Stats, uid: number): string | undefined {
  if (st.isSymbolicLink()) return `${path} is a symbolic link`;
  if (!st.isDirectory()) return `${path} is not a directory`;
  if (st.uid !== 0 && st.uid !== uid) return `${path} is owned by uid ${st.uid}`;
  if ((st.mode & 0o022) !== 0 && (st.mode & S_ISVTX) === 0) {
    return `${path} is writable by others (mode ${(st.mode & 0o7777).toString(8)})`;
  }
  return undefined;
}

/** Why `st` is not a private directory of `uid`, if it is not. */
function privateDirProblem(path: string, st: Stats, uid: number): string | undefined {
  if (st.isSymbolicLink()) return `${path} is a symbolic link`;
  if (!st.isDirectory()) return `${path} is not a directory`;
  if (st.uid !== uid) return `${path} is owned by uid ${st.uid}, not ${uid}`;
  if ((st.mode & 0o077) !== 0) {
    return `${path} is open to others (mode ${(st.mode & 0o7777).toString(8)}, expected 700)`;
  }
  return undefined;
}

/** Why `st` is not a private file of `uid`, if it is not. */
function privateFileProblem(path: string, st: Stats, uid: number): string | undefined {
  if (st.isSymbolicLink()) return `${path} is a symbolic link`;
  if (!st.isFile()) return `${path} is not a regular file`;
  if (st.uid !== uid) return `${path} is owned by uid ${st.uid}, not ${uid}`;
  if ((st.mode & 0o077) !== 0)
    return `${path} is open to others (mode ${(st.mode & 0o777).toString(8)})`;
  if (st.nlink !== 1) return `${path} has ${st.nlink} links`;
  return undefined;
}

/** Every directory from `/` down to `path`, inclusive. */
function chain(path: string): string[] {
  const parts = resolve(path).split(sep).filter(Boolean);
  return parts.map((_, i) => `${sep}${parts.slice(0, i + 1).join(sep)}`);
}

/** A directory that passed the trust rule: files in it are read and written only through this. */
export interface PrivateDir {
  /** Absolute path of the directory. */
  readonly path: string;
  /** Absolute path of file `name` (a plain name: letters, digits, `.`, `_`, `-`). */
  file(name: string): string;
  /**
   * Reads file `name`: `undefined` when it is missing, not private, or larger than `maxBytes`
   * (an untrusted file is removed, so the caller rebuilds it).
   */
  read(name: string, maxBytes?: number): string | undefined;
  /** {@link PrivateDir.read} for binary files (e.g. a V8 code cache). */
  readBytes(name: string, maxBytes?: number): Buffer | undefined;
  /** Writes file `name` atomically: temp file created with `wx` (O_EXCL), fsync, rename. */
  write(name: string, data: string | Uint8Array): void;
  /** Removes file `name`; no error when it is already gone. */
  remove(name: string): void;
}

/** What {@link openPrivateDir} found: the directory, or why it must not be used. */
export type PrivateDirResult =
  | { readonly ok: true; readonly dir: PrivateDir }
  | { readonly ok: false; readonly reason: string };

/** Options of {@link openPrivateDir}. */
export interface PrivateDirOptions {
  /**
   * Create the directory (mode 0700) and, below `base`, every missing level (each 0700) when
   * absent. Default: true.
   */
  readonly create?: boolean;
  /**
   * Directory the private levels start below (e.g. `HA_RSCTMP`): it and everything above it must
   * pass the ancestor rule; every level below it must be private. Default: the parent of `path`.
   */
  readonly base?: string;
}

function checkName(name: string): void {
  if (!NAME.test(name)) {
    throw new TypeError(
      `private file name "${name}": use letters, digits, ".", "_", "-" (max 200)`,
    );
  }
}

function makePrivateDir(path: string, uid: number): PrivateDir {
  const file = (name: string): string => {
    checkName(name);
    return join(path, name);
  };
  const remove = (name: string): void => {
    rmSync(file(name), { force: true });
  };
  const readBytes = (
    name: string,
    maxBytes = DEFAULT_MAX_PRIVATE_FILE_BYTES,
  ): Buffer | undefined => {
    const target = file(name);
    let fd: number;
    try {
      fd = openSync(target, READ_FLAGS);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return undefined;
      // ELOOP: a symlink under our name; anything else unreadable is rebuilt too.
      remove(name);
      return undefined;
    }
    try {
      const st = fstatSync(fd);
      if (privateFileProblem(target, st, uid) !== undefined || st.size > maxBytes) {
        remove(name);
        return undefined;
      }
      const buffer = Buffer.allocUnsafe(Math.min(st.size, maxBytes) + 1);
      let length = 0;
      for (;;) {
        const n = readSync(fd, buffer, length, buffer.length - length, null);
        if (n === 0) break;
        length += n;
        if (length > maxBytes) {
          remove(name);
          return undefined;
        }
        if (length === buffer.length) break;
      }
      return buffer.subarray(0, length);
    } finally {
      closeSync(fd);
    }
  };
  return {
    path,
    file,
    read: (name, maxBytes) => readBytes(name, maxBytes)?.toString("utf8"),
    readBytes,
    write(name, data) {
      const target = file(name);
      const temp = join(
        path,
        `.${name}.${process.pid}-${Date.now().toString(36)}-${++tempCounter}.tmp`,
      );
      try {
        // "wx": O_CREAT | O_EXCL, which never follows a symlink at `temp`.
        const fd = openSync(temp, "wx", 0o600);
        try {
          writeSync(fd, typeof data === "string" ? Buffer.from(data, "utf8") : data);
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
        renameSync(temp, target);
      } catch (error) {
        rmSync(temp, { force: true });
        throw error;
      }
    },
    remove,
  };
}

/**
 * Opens (and by default creates) a directory that only the agent's user can use, after checking
 * the whole path with `lstat`. Every entry inside must be a private regular file of the agent's
 * user (or a private directory); otherwise the whole directory is refused, so the caller runs
 * without its caches (correct, slower) and logs the reason once.
 */
export function openPrivateDir(path: string, options: PrivateDirOptions = {}): PrivateDirResult {
  if (!isAbsolute(path)) return { ok: false, reason: `${path} is not an absolute path` };
  const uid = euid();
  const target = resolve(path);
  const base = resolve(options.base ?? dirname(target));
  if (target !== base && !target.startsWith(`${base}${sep}`)) {
    return { ok: false, reason: `${target} is not below ${base}` };
  }
  try {
    for (const dir of chain(base)) {
      const problem = ancestorProblem(dir, lstatSync(dir), uid);
      if (problem) return { ok: false, reason: problem };
    }
    const levels = chain(target).filter((dir) => dir.length > base.length);
    for (const dir of levels) {
      if (options.create !== false) {
        try {
          mkdirSync(dir, { mode: 0o700 });
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        }
      }
      const problem = privateDirProblem(dir, lstatSync(dir), uid);
      if (problem) return { ok: false, reason: problem };
    }
    for (const entry of readdirSync(target)) {
      const full = join(target, entry);
      const st = lstatSync(full);
      const problem = st.isDirectory()
        ? privateDirProblem(full, st, uid)
        : privateFileProblem(full, st, uid);
      if (problem) return { ok: false, reason: problem };
    }
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    return { ok: false, reason: `${e.path ?? target}: ${e.code ?? e.message}` };
  }
  return { ok: true, dir: makePrivateDir(target, uid) };
}

/**
 * One file-name encoding for resource instance names (`vip:0`, `my vip`): letters, digits, `_`
 * and `-` stay; every other byte becomes `.` and two hex digits. Distinct names never collide.
 */
export function encodeInstanceName(instance: string): string {
  let out = "";
  for (const byte of Buffer.from(instance, "utf8")) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9_-]/.test(c) ? c : `.${byte.toString(16).padStart(2, "0")}`;
  }
  return out === "" ? ".empty" : out;
}
