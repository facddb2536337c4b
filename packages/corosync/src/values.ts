import { z } from "zod";

/** corosync's yes/no style switches (`corosync.conf(5)` accepts yes/no and on/off). */
export const switchSchema = z.enum(["yes", "no", "on", "off"]);
/** votequorum's 0/1 flags (`votequorum(5)`). */
export const flagSchema = z.enum(["0", "1"]);
/** A decimal unsigned 32-bit integer, as corosync reads numbers. */
export const uintSchema = z
  .string()
  .regex(/^\d+$/, "expected a non-negative integer")
  .refine((v) => Number(v) <= 0xffffffff, "expected a number below 2^32");
/** A signed decimal integer. */
export const intSchema = z.string().regex(/^-?\d+$/, "expected an integer");
/** Any text (paths, names, addresses). */
export const textSchema = z.string();
/** A link number 0..7 (knet supports up to 8 links). */
export const linkNumberSchema = z.string().regex(/^[0-7]$/, "expected a link number from 0 to 7");
/** A node id: 1..2^32-1 (0 is reserved). */
export const nodeIdSchema = uintSchema.refine((v) => Number(v) > 0, "node id 0 is reserved");

/** The transports corosync 3 offers. */
export const transportSchema = z.enum(["knet", "udp", "udpu"]);
/** Ciphers corosync 3 (knet) accepts. */
export const cipherSchema = z.enum(["none", "aes256", "aes192", "aes128"]);
/** HMAC hashes corosync 3 (knet) accepts. */
export const hashSchema = z.enum(["none", "md5", "sha1", "sha256", "sha384", "sha512"]);
