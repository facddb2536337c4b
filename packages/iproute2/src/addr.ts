import { commandError, type IpContext, ipJson } from "./context.js";
import { IprouteError } from "./errors.js";
import type { CallOptions } from "./exec.js";
import { withKeyLock } from "./lock.js";
import { type Address, linkListSchema, parseJson, toAddresses } from "./schema.js";
import {
  type AddressFamily,
  checkDeviceName,
  checkLabel,
  checkPrefixLength,
  type ParsedAddress,
  parseAddress,
  show,
} from "./validate.js";

/** Filter for {@link listAddresses}. */
export interface ListAddressesOptions extends CallOptions {
  /** Only addresses on this device. */
  dev?: string;
  /** Only this family: `inet` (IPv4) or `inet6` (IPv6). */
  family?: AddressFamily;
}

/** What {@link addAddress} should configure. */
export interface AddAddressOptions extends CallOptions {
  /** Device to put the address on, e.g. `eth0`. */
  dev: string;
  /** IPv4 or IPv6 address, without prefix. */
  address: string;
  /** Prefix length of the subnet (0-32 or 0-128). */
  prefixLength: number;
  /** IPv4 label, at most 15 characters, starting with `dev` (e.g. `eth0:vip`). */
  label?: string;
  /** IPv6 only: skip duplicate address detection (`nodad`). */
  noDad?: boolean;
  /** Preferred lifetime in seconds, or `"forever"`; IPv6 `0` keeps a floating address from being chosen as source. */
  preferredLifetime?: number | "forever";
}

/** What {@link deleteAddress} should remove. */
export interface DeleteAddressOptions extends CallOptions {
  /** Device the address is on. */
  dev: string;
  /** IPv4 or IPv6 address, without prefix. */
  address: string;
  /** Expected prefix length; when set, an address present with another prefix is an `ADDRESS_CONFLICT`. */
  prefixLength?: number;
}

/** Result of an idempotent change: `changed` is false when the host already was as asked. */
export interface ChangeResult {
  /** True when this call added or removed the address. */
  readonly changed: boolean;
}

const familyFlag = { inet: "-4", inet6: "-6" } as const;
const alreadyPresent = /File exists|already assigned/i;
const notPresent = /address not found|Cannot assign requested address/i;

/** Lists the local addresses, optionally of one device and/or one family. */
export async function listAddresses(
  ctx: IpContext,
  options: ListAddressesOptions = {},
): Promise<Address[]> {
  const dev = options.dev === undefined ? undefined : checkDeviceName(options.dev);
  const family = options.family;
  if (family !== undefined && family !== "inet" && family !== "inet6") {
    throw new IprouteError(
      "INVALID_ARGUMENT",
      `family: expected "inet" or "inet6", got ${show(family)}`,
    );
  }
  const args = [
    ...(family ? [familyFlag[family]] : []),
    "addr",
    "show",
    ...(dev ? ["dev", dev] : []),
  ];
  const stdout = await ipJson(ctx, args, "list addresses", options);
  return toAddresses(parseJson(linkListSchema, stdout, "ip -json addr show"));
}

/**
 * Adds an address idempotently: `changed: false` when it is already on `dev` with the same prefix,
 * `ADDRESS_CONFLICT` when it is present with another prefix or on another device.
 */
export async function addAddress(
  ctx: IpContext,
  options: AddAddressOptions,
): Promise<ChangeResult> {
  const dev = checkDeviceName(options.dev);
  const addr = parseAddress(options.address);
  const prefixLength = checkPrefixLength(options.prefixLength, addr.family);
  const extra = addOptions(options, dev, addr.family, prefixLength);
  return withKeyLock(lockKey(ctx, addr), async () => {
    const call = callOptions(options);
    const found = await findAddress(ctx, addr, call);
    if (found.length > 0) return { changed: !assertSame(found, dev, addr, prefixLength) };
    const args = [
      familyFlag[addr.family],
      "addr",
      "add",
      `${addr.text}/${prefixLength}`,
      "dev",
      dev,
      ...extra,
    ];
    const result = await ctx.ip(args, options);
    if (result.exitCode === 0) return { changed: true };
    // Another process added it between our check and our add: fine if it is the same address.
    if (alreadyPresent.test(result.stderr)) {
      const again = await findAddress(ctx, addr, call);
      if (again.length > 0) return { changed: !assertSame(again, dev, addr, prefixLength) };
    }
    throw commandError(result, `add ${addr.text}/${prefixLength} to ${dev}`);
  });
}

/**
 * Removes an address idempotently: `changed: false` when it is not on `dev`. With `prefixLength`,
 * an address present on `dev` with another prefix is an `ADDRESS_CONFLICT` (it is not ours).
 */
export async function deleteAddress(
  ctx: IpContext,
  options: DeleteAddressOptions,
): Promise<ChangeResult> {
  const dev = checkDeviceName(options.dev);
  const addr = parseAddress(options.address);
  const wanted =
    options.prefixLength === undefined
      ? undefined
      : checkPrefixLength(options.prefixLength, addr.family);
  return withKeyLock(lockKey(ctx, addr), async () => {
    let prefixLength = wanted;
    if (prefixLength === undefined) {
      const onDev = (await findAddress(ctx, addr, { ...options, dev })).filter(
        (a) => a.dev === dev,
      );
      if (onDev.length === 0) return { changed: false };
      prefixLength = onDev[0]!.prefixLength;
    }
    const args = [
      familyFlag[addr.family],
      "addr",
      "del",
      `${addr.text}/${prefixLength}`,
      "dev",
      dev,
    ];
    const result = await ctx.ip(args, options);
    if (result.exitCode === 0) return { changed: true };
    if (notPresent.test(result.stderr)) {
      const onDev = (await findAddress(ctx, addr, { ...options, dev })).filter(
        (a) => a.dev === dev,
      );
      if (onDev.length === 0) return { changed: false };
      if (wanted !== undefined && onDev.every((a) => a.prefixLength !== wanted)) {
        throw conflict(
          addr,
          `${dev} has it with prefix /${onDev[0]!.prefixLength}, not /${wanted}`,
        );
      }
    }
    throw commandError(result, `delete ${addr.text}/${prefixLength} from ${dev}`);
  });
}

/** The `ip addr add` options after `dev`, validated before anything runs. */
function addOptions(
  options: AddAddressOptions,
  dev: string,
  family: AddressFamily,
  prefix: number,
): string[] {
  const extra: string[] = [];
  // Like `ip addr add ... brd +`: IPv4 subnets with room for a broadcast address get one.
  if (family === "inet" && prefix <= 30) extra.push("brd", "+");
  if (options.label !== undefined) extra.push("label", checkLabel(options.label, dev, family));
  if (options.noDad !== undefined && typeof options.noDad !== "boolean") {
    throw new IprouteError(
      "INVALID_ARGUMENT",
      `noDad: expected a boolean, got ${show(options.noDad)}`,
    );
  }
  if (options.noDad) {
    if (family !== "inet6") {
      throw new IprouteError(
        "INVALID_ARGUMENT",
        "noDad: duplicate address detection exists only for IPv6",
      );
    }
    extra.push("nodad");
  }
  const lft = options.preferredLifetime;
  if (lft !== undefined) {
    if (
      lft !== "forever" &&
      !(typeof lft === "number" && Number.isInteger(lft) && lft >= 0 && lft < 4294967295)
    ) {
      throw new IprouteError(
        "INVALID_ARGUMENT",
        `preferredLifetime: expected "forever" or whole seconds from 0 to 4294967294, got ${show(lft)}`,
      );
    }
    extra.push("preferred_lft", String(lft));
  }
  return extra;
}

/** Every configured copy of `addr` in the namespace (any device), or only on `dev` when given. */
async function findAddress(
  ctx: IpContext,
  addr: ParsedAddress,
  call: CallOptions & { dev?: string },
): Promise<Address[]> {
  const options: ListAddressesOptions = { family: addr.family };
  if (call.dev !== undefined) options.dev = call.dev;
  if (call.signal !== undefined) options.signal = call.signal;
  if (call.timeoutMs !== undefined) options.timeoutMs = call.timeoutMs;
  const all = await listAddresses(ctx, options);
  return all.filter((a) => parseAddress(a.address, "ip output").value === addr.value);
}

/** True when `found` is exactly `addr/prefix` on `dev`; throws `ADDRESS_CONFLICT` otherwise. */
function assertSame(found: Address[], dev: string, addr: ParsedAddress, prefix: number): true {
  const other = found.find((a) => a.dev !== dev || a.prefixLength !== prefix);
  if (!other) return true;
  throw conflict(
    addr,
    `${other.dev} already has ${other.address}/${other.prefixLength}; asked for /${prefix} on ${dev}`,
  );
}

function conflict(addr: ParsedAddress, why: string): IprouteError {
  return new IprouteError(
    "ADDRESS_CONFLICT",
    `address ${addr.text} conflicts with the host's configuration: ${why}. Remove it first or use the same prefix and device`,
  );
}

/** Only the per-call options (signal, timeout) of an options object, never its `dev`. */
function callOptions(options: CallOptions): CallOptions {
  const call: CallOptions = {};
  if (options.signal !== undefined) call.signal = options.signal;
  if (options.timeoutMs !== undefined) call.timeoutMs = options.timeoutMs;
  return call;
}

function lockKey(ctx: IpContext, addr: ParsedAddress): string {
  return `${ctx.netns ?? ""}\u0000${addr.family}\u0000${addr.value}`;
}
