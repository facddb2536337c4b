import { randomBytes } from "node:crypto";
import { chmod, open } from "node:fs/promises";
import { CorosyncError } from "./errors.js";

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
 * `overwrite` is set; returns the key written.
 */
export async function writeAuthkey(
  path: string,
  options: { overwrite?: boolean; size?: number } = {},
): Promise<Buffer> {
  const key = generateAuthkey(options.size);
  try {
    // Created with 0400 from the start so the secret is never readable by others, even briefly.
    const handle = await open(path, options.overwrite ? "w" : "wx", 0o400);
    try {
      await handle.writeFile(key);
    } finally {
      await handle.close();
    }
    await chmod(path, 0o400);
  } catch (cause) {
    throw new CorosyncError(
      "AUTHKEY_WRITE_FAILED",
      `cannot write the authkey to ${path}: ${(cause as Error).message}`,
      { cause },
    );
  }
  return key;
}
