import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { link, open, realpath, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { CorosyncError } from "./errors.js";

/** The largest corosync.conf the CLI reads (a real one is a few KiB). */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;

function reason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  switch (e.code) {
    case "ENOENT":
      return "no such file or directory";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "is a directory";
    case "ENOTDIR":
      return "a part of the path is not a directory";
    case "ELOOP":
      return "too many symbolic links";
    case "EEXIST":
      return "already exists";
    default:
      return e.message ?? String(error);
  }
}

/**
 * Reads a file (or a stream such as standard input), refusing more than {@link MAX_INPUT_BYTES}:
 * a device like /dev/zero fails at the limit instead of filling memory.
 */
export async function readLimited(
  source: string | NodeJS.ReadableStream,
  what: string,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    const stream =
      typeof source === "string" ? createReadStream(source, { highWaterMark: 64 * 1024 }) : source;
    for await (const chunk of stream) {
      const buffer = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
      size += buffer.length;
      if (size > MAX_INPUT_BYTES) {
        (stream as { destroy?: () => void }).destroy?.();
        throw new CorosyncError(
          "READ_FAILED",
          `cannot read ${what}: larger than ${MAX_INPUT_BYTES} bytes, not a corosync.conf`,
        );
      }
      chunks.push(buffer);
    }
  } catch (error) {
    if (error instanceof CorosyncError) throw error;
    throw new CorosyncError("READ_FAILED", `cannot read ${what}: ${reason(error)}`, {
      cause: error,
    });
  }
  return Buffer.concat(chunks);
}

/** A temporary name beside `path`, unpredictable, so nobody can plant a link there first. */
function temporaryName(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.ocfkit-tmp`);
}

/**
 * Writes `data` to a new file beside `path` (created exclusively, `wx`, under an unpredictable
 * name), flushes it and returns its name; removes it on failure.
 */
async function writeTemporary(
  path: string,
  data: string | Uint8Array,
  mode: number,
  owner?: { uid: number; gid: number },
): Promise<string> {
  const temporary = temporaryName(path);
  const handle = await open(temporary, "wx", mode);
  try {
    await handle.writeFile(data);
    // The process umask trimmed the mode given to open: set it exactly.
    await handle.chmod(mode);
    if (owner !== undefined && process.getuid?.() === 0) await handle.chown(owner.uid, owner.gid);
    await handle.sync();
    await handle.close();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  return temporary;
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the rename itself is still atomic.
  } finally {
    await handle.close();
  }
}

/**
 * Replaces the file at `path` (a symlink is followed: its target is replaced) with `text`
 * atomically: a new file in the same directory, created with `wx`, with the old file's mode and
 * owner, flushed, then renamed over it. A reader sees the old file or the new one, never a mix.
 */
export async function replaceFile(path: string, text: string): Promise<void> {
  try {
    const target = await realpath(path);
    const info = await stat(target);
    if (!info.isFile()) throw Object.assign(new Error("not a regular file"), { code: "EINVAL" });
    const temporary = await writeTemporary(target, text, info.mode & 0o7777, {
      uid: info.uid,
      gid: info.gid,
    });
    try {
      await rename(temporary, target);
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
    await syncDirectory(dirname(target));
  } catch (error) {
    throw new CorosyncError("WRITE_FAILED", `cannot write ${path}: ${reason(error)}`, {
      cause: error,
    });
  }
}

/**
 * Creates `path` holding `data` with `mode`: written to a new file first, then linked into place
 * (refused when `path` exists) or, with `replace`, renamed over it. A process holding the old
 * file open keeps reading the old content.
 */
export async function createFile(
  path: string,
  data: Uint8Array,
  mode: number,
  replace: boolean,
): Promise<void> {
  const temporary = await writeTemporary(path, data, mode);
  try {
    if (replace) await rename(temporary, path);
    else {
      try {
        await link(temporary, path);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // A file system without hard links: create the file itself exclusively instead.
        if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP") throw error;
        const handle = await open(path, "wx", mode);
        try {
          await handle.writeFile(data);
          await handle.chmod(mode);
          await handle.sync();
        } finally {
          await handle.close();
        }
      }
      await unlink(temporary);
    }
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dirname(path));
}
