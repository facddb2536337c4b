import { isIPv4, isIPv6 } from "node:net";

/** Parses a dotted IPv4 address into an unsigned 32-bit number, or undefined. */
export function ipv4ToNumber(address: string): number | undefined {
  if (!isIPv4(address)) return undefined;
  return address.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
}

/** Formats an unsigned 32-bit number as dotted IPv4. */
export function numberToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

/** Parses an IPv6 address (any textual form) into a 128-bit bigint, or undefined. */
export function ipv6ToBigInt(address: string): bigint | undefined {
  if (!isIPv6(address) || address.includes(".") || address.includes("%")) return undefined;
  const [head = "", tail] = address.split("::");
  const headParts = head === "" ? [] : head.split(":");
  const tailParts = tail === undefined || tail === "" ? [] : tail.split(":");
  const missing = 8 - headParts.length - tailParts.length;
  const groups =
    tail === undefined ? headParts : [...headParts, ...Array(missing).fill("0"), ...tailParts];
  if (groups.length !== 8) return undefined;
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g, 16)), 0n);
}

/** Formats a 128-bit bigint as canonical IPv6 text (RFC 5952: lowercase, longest zero run as ::). */
export function bigIntToIpv6(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) =>
    Number((value >> BigInt(112 - 16 * i)) & 0xffffn),
  );
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLength).join(":")}`;
}

/** A parsed IPv4 CIDR block. */
export interface Ipv4Block {
  network: number;
  prefixLength: number;
  size: number;
}

/** Parses `a.b.c.d/n`; undefined when malformed. */
export function parseIpv4Cidr(cidr: string): Ipv4Block | undefined {
  const [address = "", prefix = ""] = cidr.split("/");
  const base = ipv4ToNumber(address);
  const prefixLength = Number(prefix);
  if (base === undefined || !/^\d+$/.test(prefix) || prefixLength > 32) return undefined;
  const size = 2 ** (32 - prefixLength);
  return { network: base - (base % size), prefixLength, size };
}

/** A parsed IPv6 prefix. */
export interface Ipv6Block {
  network: bigint;
  prefixLength: number;
}

/** Parses `x::/n`; undefined when malformed. */
export function parseIpv6Cidr(cidr: string): Ipv6Block | undefined {
  const [address = "", prefix = ""] = cidr.split("/");
  const base = ipv6ToBigInt(address);
  const prefixLength = Number(prefix);
  if (base === undefined || !/^\d+$/.test(prefix) || prefixLength > 128) return undefined;
  const hostBits = BigInt(128 - prefixLength);
  return { network: (base >> hostBits) << hostBits, prefixLength };
}

/**
 * Whether an IPv4 address is usable for a VNIC in the block: OCI reserves the network address,
 * the first host (the virtual router) and the broadcast address of every subnet.
 */
export function ipv4Usable(block: Ipv4Block, value: number): "ok" | "outside" | "reserved" {
  if (value < block.network || value >= block.network + block.size) return "outside";
  const offset = value - block.network;
  return offset === 0 || offset === 1 || offset === block.size - 1 ? "reserved" : "ok";
}

/** Whether an IPv6 address lies inside the prefix. */
export function ipv6Inside(block: Ipv6Block, value: bigint): boolean {
  const hostBits = BigInt(128 - block.prefixLength);
  return value >> hostBits === block.network >> hostBits;
}

/** Canonical text of an IPv6 address, or undefined when it is not one. */
export function canonicalIpv6(address: string): string | undefined {
  const value = ipv6ToBigInt(address);
  return value === undefined ? undefined : bigIntToIpv6(value);
}
