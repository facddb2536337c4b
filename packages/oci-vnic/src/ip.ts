import { invalidParameter } from "./errors.js";

/** An IP address parsed once: family, canonical text (RFC 5952 for IPv6) and numeric value. */
export interface IpAddress {
  /** 4 or 6. */
  readonly family: 4 | 6;
  /** Canonical text: dotted quad, or lower-case compressed IPv6 (RFC 5952). */
  readonly address: string;
  /** Numeric value, for comparisons and CIDR math. */
  readonly value: bigint;
}

/** A CIDR block such as `192.0.2.0/24` or `2001:db8:0:1::/64`. */
export interface Cidr {
  /** 4 or 6. */
  readonly family: 4 | 6;
  /** Network address (host bits cleared), canonical text. */
  readonly network: string;
  /** Prefix length in bits. */
  readonly prefixLength: number;
  /** Numeric network value. */
  readonly value: bigint;
}

// Own validators instead of node:net's isIP: loading node:net costs milliseconds at import time.
const ipv4Pattern = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const hexGroup = /^[0-9a-fA-F]{1,4}$/;

function isIPv4(text: string): boolean {
  return ipv4Pattern.test(text);
}

function groupCount(side: string, allowV4Tail: boolean): number {
  if (side === "") return 0;
  const groups = side.split(":");
  let count = 0;
  for (const [i, g] of groups.entries()) {
    if (hexGroup.test(g)) count += 1;
    else if (allowV4Tail && i === groups.length - 1 && isIPv4(g)) count += 2;
    else return Number.NaN;
  }
  return count;
}

function isIPv6(text: string): boolean {
  const halves = text.split("::");
  if (halves.length > 2) return false;
  if (halves.length === 1) return groupCount(text, true) === 8;
  const head = groupCount(halves[0]!, false);
  const tail = groupCount(halves[1]!, true);
  return head + tail <= 7;
}

/** Parses an IPv4 or IPv6 address; returns undefined when `text` is not one. */
export function tryParseIp(text: string): IpAddress | undefined {
  const trimmed = text.trim();
  if (isIPv4(trimmed)) {
    const value = trimmed.split(".").reduce((acc, part) => (acc << 8n) | BigInt(part), 0n);
    return { family: 4, address: formatIpv4(value), value };
  }
  if (isIPv6(trimmed)) {
    const value = parseIpv6(trimmed.toLowerCase());
    return { family: 6, address: formatIpv6(value), value };
  }
  return undefined;
}

/** Parses an IP address or throws INVALID_PARAMETER naming `name`. */
export function parseIp(text: unknown, name = "ip"): IpAddress {
  const parsed = typeof text === "string" ? tryParseIp(text) : undefined;
  if (!parsed) {
    throw invalidParameter(name, "an IPv4 or IPv6 address without zone or prefix", text);
  }
  return parsed;
}

/** Parses a CIDR block; returns undefined when `text` is not one. */
export function tryParseCidr(text: string): Cidr | undefined {
  const [addr, len, extra] = text.trim().split("/");
  if (addr === undefined || len === undefined || extra !== undefined || !/^\d{1,3}$/.test(len)) {
    return undefined;
  }
  const ip = tryParseIp(addr);
  const prefixLength = Number(len);
  if (!ip || prefixLength > bitsOf(ip.family)) return undefined;
  const value = ip.value & maskOf(ip.family, prefixLength);
  const network = ip.family === 4 ? formatIpv4(value) : formatIpv6(value);
  return { family: ip.family, network, prefixLength, value };
}

/** Parses a CIDR block or throws INVALID_PARAMETER naming `name`. */
export function parseCidr(text: unknown, name = "cidr"): Cidr {
  const parsed = typeof text === "string" ? tryParseCidr(text) : undefined;
  if (!parsed) throw invalidParameter(name, "a CIDR block such as 192.0.2.0/24", text);
  return parsed;
}

/** True when `ip` lies inside `cidr` (same family, network bits equal). */
export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  return (
    cidr.family === ip.family && (ip.value & maskOf(ip.family, cidr.prefixLength)) === cidr.value
  );
}

/** True when two textual addresses denote the same IP (e.g. `2001:DB8::1` and `2001:db8:0::1`). */
export function sameIp(a: string, b: string): boolean {
  const pa = tryParseIp(a);
  const pb = tryParseIp(b);
  return pa !== undefined && pb !== undefined && pa.family === pb.family && pa.value === pb.value;
}

function bitsOf(family: 4 | 6): number {
  return family === 4 ? 32 : 128;
}

function maskOf(family: 4 | 6, prefixLength: number): bigint {
  const bits = BigInt(bitsOf(family));
  const all = (1n << bits) - 1n;
  return (all << (bits - BigInt(prefixLength))) & all;
}

function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join(".");
}

function parseIpv6(text: string): bigint {
  let groups: string[];
  const embedded = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  let body = text;
  if (embedded?.[1]) {
    const v4 = tryParseIp(embedded[1])!.value;
    body = `${text.slice(0, -embedded[1].length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  if (body.includes("::")) {
    const [head, tail] = body.split("::") as [string, string];
    const h = head === "" ? [] : head.split(":");
    const t = tail === "" ? [] : tail.split(":");
    groups = [...h, ...Array<string>(8 - h.length - t.length).fill("0"), ...t];
  } else {
    groups = body.split(":");
  }
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(`0x${g}`), 0n);
}

function formatIpv6(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) =>
    Number((value >> BigInt((7 - i) * 16)) & 0xffffn),
  );
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  const head = hex.slice(0, bestStart).join(":");
  const tail = hex.slice(bestStart + bestLen).join(":");
  return `${head}::${tail}`;
}
