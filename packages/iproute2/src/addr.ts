import { parseAddressList } from "./addr-json.js";
import { commandError, type IpContext, ipJson } from "./context.js";
import { IprouteError } from "./errors.js";
import type { CallOptions } from "./exec.js";
import { withKeyLock } from "./lock.js";
import type { Address } from "./schema.js";
import {
  type AddressFamily,
  checkDeviceName,
  checkPrefixLength,
  type ParsedAddress,
  parseAddress,
  show,
} from "./validate.js";

/** Filter for {@link Iproute2.listAddresses}. */
export interface ListAddressesOptions extends CallOptions {
  /** Only addresses on this device. */
  dev?: string;
  /** Only this family: `inet` (IPv4) or `inet6` (IPv6). */
  family?: AddressFamily;
  /** Only this address, however it is spelled (`2001:DB8::0100` matches `2001:db8::100`). */
  address?: string;
}

/** What {@link Iproute2.deleteAddress} should remove. */
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

/** The `ip` option selecting a family. */
export const familyFlag = { inet: "-4", inet6: "-6" } as const;
const notPresent = /address not found|Cannot assign requested address/i;

/** Lists the local addresses, optionally of one device and/or one family. */
export async function listAddresses(
  ctx: IpContext,
  options: ListAddressesOptions = {},
): Promise<Address[]> {
  const dev = options.dev === undefined ? undefined : checkDeviceName(options.dev);
  const wanted = options.address === undefined ? undefined : parseAddress(options.address);
  const family = options.family ?? wanted?.family;
  if (family !== undefined && family !== "inet" && family !== "inet6") {
    throw new IprouteError(
      "INVALID_ARGUMENT",
      `family: expected "inet" or "inet6", got ${show(family)}`,
    );
  }
  if (wanted && wanted.family !== family) {
    throw new IprouteError(
      "INVALID_ARGUMENT",
      `family: "${family}" does not match address ${wanted.text}`,
    );
  }
  const args = [
    ...(family ? [familyFlag[family]] : []),
    "addr",
    "show",
    ...(dev ? ["dev", dev] : []),
  ];
  const stdout = await ipJson(ctx, args, "list addresses", options);
  const all = parseAddressList(stdout);
  return wanted
    ? all.filter((a) => parseAddress(a.address, "ip output").value === wanted.value)
    : all;
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
  const call = callOptions(options);
  return withKeyLock(lockKey(ctx, addr), async () => {
    if (wanted === undefined) return flushAddress(ctx, addr, dev, call);
    const target = `${addr.text}/${wanted}`;
    const result = await ctx.ip([familyFlag[addr.family], "addr", "del", target, "dev", dev], call);
    if (result.exitCode === 0) return { changed: true };
    if (notPresent.test(result.stderr)) {
      const onDev = (await findAddress(ctx, addr, { ...call, dev })).filter((a) => a.dev === dev);
      if (onDev.length === 0) return { changed: false };
      if (onDev.every((a) => a.prefixLength !== wanted)) {
        throw conflict(
          addr,
          `${dev} has it with prefix /${onDev[0]!.prefixLength}, not /${wanted}`,
        );
      }
    }
    throw commandError(result, `delete ${target} from ${dev}`);
  });
}

/**
 * Deletes `addr` from `dev` whatever its prefix, in one process: `ip -s addr flush dev D to A/32`
 * (or `/128`) matches exactly that address and says how many it deleted.
 */
async function flushAddress(
  ctx: IpContext,
  addr: ParsedAddress,
  dev: string,
  call: CallOptions,
): Promise<ChangeResult> {
  const only = `${addr.text}/${addr.family === "inet" ? 32 : 128}`;
  const args = ["-s", familyFlag[addr.family], "addr", "flush", "dev", dev, "to", only];
  const result = await ctx.ip(args, call);
  if (result.exitCode !== 0) throw commandError(result, `delete ${addr.text} from ${dev}`);
  if (/Nothing to flush/.test(result.stdout)) return { changed: false };
  if (/deleting \d+ address/.test(result.stdout)) return { changed: true };
  throw new IprouteError(
    "BAD_OUTPUT",
    `delete ${addr.text} from ${dev}: expected "Nothing to flush" or "deleting N addresses" from ip addr flush, got ${show(result.stdout)}`,
    { details: { command: result.argv, exitCode: result.exitCode, stderr: result.stderr } },
  );
}

/** Every configured copy of `addr` in the namespace (any device), or only on `dev` when given. */
export async function findAddress(
  ctx: IpContext,
  addr: ParsedAddress,
  call: CallOptions & { dev?: string },
): Promise<Address[]> {
  const options: ListAddressesOptions = { address: addr.text };
  if (call.dev !== undefined) options.dev = call.dev;
  if (call.signal !== undefined) options.signal = call.signal;
  if (call.timeoutMs !== undefined) options.timeoutMs = call.timeoutMs;
  return listAddresses(ctx, options);
}

/** True when `found` is exactly `addr/prefix` on `dev`; throws `ADDRESS_CONFLICT` otherwise. */
export function assertSame(
  found: Address[],
  dev: string,
  addr: ParsedAddress,
  prefix: number,
): true {
  const other = found.find((a) => a.dev !== dev || a.prefixLength !== prefix);
  if (!other) return true;
  throw conflict(
    addr,
    `${other.dev} already has ${other.address}/${other.prefixLength}; asked for /${prefix} on ${dev}`,
  );
}

/** The `ADDRESS_CONFLICT` error for `addr`, saying why. */
export function conflict(addr: ParsedAddress, why: string): IprouteError {
  return new IprouteError(
    "ADDRESS_CONFLICT",
    `address ${addr.text} conflicts with the host's configuration: ${why}. Remove it first or use the same prefix and device`,
  );
}

/** Only the per-call options (signal, timeout) of an options object, never its `dev`. */
export function callOptions(options: CallOptions): CallOptions {
  const call: CallOptions = {};
  if (options.signal !== undefined) call.signal = options.signal;
  if (options.timeoutMs !== undefined) call.timeoutMs = options.timeoutMs;
  return call;
}

/** Key of the in-process lock serializing changes to one address in one namespace. */
export function lockKey(ctx: IpContext, addr: ParsedAddress): string {
  return `${ctx.netns ?? ""}\u0000${addr.family}\u0000${addr.value}`;
}
