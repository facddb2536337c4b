import { randomBytes } from "node:crypto";
import { CorosyncError } from "./errors.js";
import { createFile } from "./files.js";

/** Size of the key `corosync-keygen` writes by default, in bytes. */
export const AUTHKEY_BYTES = 256;

/**
 * Returns a new random corosync authkey (256 bytes from the CSPRNG, like `corosync-keygen`).
 *
 * @example
 * ```ts
 * const key = generateAuthkey(); // key.length === 256
 * ```
 */
export function generateAuthkey(size: number = AUTHKEY_BYTES): Buffer {
  // corosync-keygen -s accepts 128 to 4096 bytes; keep the same bounds.
  if (!Number.isInteger(size) || size < 128 || size > 4096) {
    throw new CorosyncError(
      "INVALID_OPTIONS",
      `size: expected an integer from 128 to 4096 bytes, found ${size}`,
    );
  }
  return randomBytes(size);
}

/**
 * Writes a new authkey to `path` with mode 0400, refusing to overwrite an existing file unless
 * `overwrite` is set; returns the key written. The key goes to a new file (created with mode
 * 0400, exclusively, under an unpredictable name) that is then linked into place or, with
 * `overwrite`, renamed over the old one: the old key is never rewritten in place, so a process
 * holding it open keeps the old key and a crash never leaves half a key.
 */
export async function writeAuthkey(
  path: string,
  options: { overwrite?: boolean; size?: number } = {},
): Promise<Buffer> {
  const key = generateAuthkey(options.size);
  try {
    await createFile(path, key, 0o400, options.overwrite ?? false);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why =
      code === "EEXIST"
        ? "the file exists (use --force, or overwrite, to replace it)"
        : (cause as Error).message;
    throw new CorosyncError("AUTHKEY_WRITE_FAILED", `cannot write the authkey to ${path}: ${why}`, {
      cause,
    });
  }
  return key;
}
