import { isIPv4, isIPv6 } from "node:net";
import { IprouteError } from "./errors.js";

/** Address family as `ip` names it. */
export type AddressFamily = "inet" | "inet6";

/** A validated IP address: its family and a numeric value for comparisons. */
export interface ParsedAddress {
  readonly family: AddressFamily;
  /** The text as given (trimmed); `ip` accepts it as is. */
  readonly text: string;
  /** The address as an unsigned integer (32 or 128 bits), so that equal addresses compare equal. */
  readonly value: bigint;
}

// IFNAMSIZ is 16 bytes including the terminating NUL: names and labels are at most 15 characters.
const maxNameLength = 15;

/** Parses an IPv4 or IPv6 address (no prefix, no zone), or throws `INVALID_ADDRESS` naming `param`. */
export function parseAddress(input: unknown, param = "address"): ParsedAddress {
  const text = typeof input === "string" ? input.trim() : "";
  if (isIPv4(text)) return { family: "inet", text, value: ipv4ToBigInt(text) };
  if (isIPv6(text) && !text.includes("%"))
    return { family: "inet6", text, value: ipv6ToBigInt(text) };
  const hint =
    typeof input === "string" && input.includes("/") ? " (pass the prefix length separately)" : "";
  throw new IprouteError(
    "INVALID_ADDRESS",
    `${param}: expected an IPv4 address such as 192.0.2.10 or an IPv6 address such as 2001:db8::10, got ${show(input)}${hint}`,
  );
}

/** Checks a prefix length for the family (0-32 or 0-128), or throws `INVALID_PREFIX`. */
export function checkPrefixLength(
  input: unknown,
  family: AddressFamily,
  param = "prefixLength",
): number {
  const max = family === "inet" ? 32 : 128;
  if (typeof input === "number" && Number.isInteger(input) && input >= 0 && input <= max)
    return input;
  throw new IprouteError(
    "INVALID_PREFIX",
    `${param}: expected an integer from 0 to ${max} for ${family === "inet" ? "IPv4" : "IPv6"}, got ${show(input)}`,
  );
}

/** Checks a network device name (1-15 characters, no `/`, `:` or whitespace), or throws `INVALID_ARGUMENT`. */
export function checkDeviceName(input: unknown, param = "dev"): string {
  if (
    typeof input === "string" &&
    input.length >= 1 &&
    input.length <= maxNameLength &&
    /^[^\s/:#"'\\]+$/.test(input) &&
    input !== "." &&
    input !== ".."
  ) {
    return input;
  }
  throw new IprouteError(
    "INVALID_ARGUMENT",
    `${param}: expected a network device name of 1-${maxNameLength} characters without spaces or any of / : # " ' \\, got ${show(input)}`,
  );
}

/**
 * Checks an IPv4 address label: at most 15 characters, starting with the device name (the kernel
 * and `ifconfig` tie aliases such as `eth0:vip` to `eth0`), letters, digits and `:._@+-`. Throws `INVALID_LABEL`.
 */
export function checkLabel(input: unknown, dev: string, family: AddressFamily): string {
  const fail = (why: string): never => {
    throw new IprouteError("INVALID_LABEL", `label: ${why}, got ${show(input)}`);
  };
  if (typeof input !== "string") return fail("expected a string");
  if (family === "inet6")
    return fail("labels exist only for IPv4 addresses (the kernel ignores them for IPv6)");
  if (input.length > maxNameLength)
    return fail(`must be at most ${maxNameLength} characters (kernel limit)`);
  if (!input.startsWith(dev))
    return fail(`must start with the device name "${dev}", e.g. "${dev}:vip"`);
  // `ip -batch` would read `#` as a comment and quotes as quoting: keep to plain characters.
  if (!/^[A-Za-z0-9:._@+-]+$/.test(input)) {
    return fail("may hold only letters, digits and : . _ @ + -");
  }
  return input;
}

/** Normalizes a MAC address (`aa:bb:cc:dd:ee:ff`, `-` separators, any case) to lower-case colons. */
export function normalizeMac(input: unknown, param = "mac"): string {
  const text = typeof input === "string" ? input.trim().toLowerCase().replaceAll("-", ":") : "";
  if (/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(text)) return text;
  throw new IprouteError(
    "INVALID_ARGUMENT",
    `${param}: expected a MAC address such as 02:00:17:00:00:11, got ${show(input)}`,
  );
}

/** Checks a network namespace name as `ip netns` stores it (under /run/netns), or throws `INVALID_ARGUMENT`. */
export function checkNetnsName(input: unknown): string {
  if (
    typeof input === "string" &&
    /^[A-Za-z0-9_.-]{1,200}$/.test(input) &&
    !/^\.\.?$/.test(input)
  ) {
    return input;
  }
  throw new IprouteError(
    "INVALID_ARGUMENT",
    `netns: expected a namespace name from \`ip netns list\` (letters, digits, '.', '_', '-'), got ${show(input)}`,
  );
}

/** Checks a positive integer option (count, interval, timeout), or throws `INVALID_ARGUMENT`. */
export function checkPositiveInteger(input: unknown, param: string, max = 2 ** 31 - 1): number {
  if (typeof input === "number" && Number.isInteger(input) && input >= 1 && input <= max)
    return input;
  throw new IprouteError(
    "INVALID_ARGUMENT",
    `${param}: expected an integer from 1 to ${max}, got ${show(input)}`,
  );
}

function ipv4ToBigInt(text: string): bigint {
  return text.split(".").reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function ipv6ToBigInt(text: string): bigint {
  let body = text.toLowerCase();
  // A trailing dotted quad (::ffff:192.0.2.1) stands for the last two 16-bit groups.
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(body);
  if (quad?.[1]) {
    const v4 = ipv4ToBigInt(quad[1]);
    body = `${body.slice(0, quad.index)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = "", tail] = body.split("::");
  const headGroups = head === "" ? [] : head.split(":");
  const tailGroups = tail === undefined || tail === "" ? [] : tail.split(":");
  const zeros = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(zeros).fill("0"), ...tailGroups];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g, 16)), 0n);
}

/** Renders an untrusted value for an error message, truncated. */
export function show(input: unknown): string {
  const text = typeof input === "string" ? JSON.stringify(input) : String(input);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
