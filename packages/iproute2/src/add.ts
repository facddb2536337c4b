import {
  assertSame,
  type ChangeResult,
  callOptions,
  conflict,
  familyFlag,
  findAddress,
  lockKey,
} from "./addr.js";
import { parseAddressList } from "./addr-json.js";
import { commandError, type IpContext } from "./context.js";
import { IprouteError } from "./errors.js";
import type { CallOptions } from "./exec.js";
import { withKeyLock } from "./lock.js";
import {
  type AddressFamily,
  checkDeviceName,
  checkLabel,
  checkPrefixLength,
  type ParsedAddress,
  parseAddress,
  show,
} from "./validate.js";

/** What {@link Iproute2.addAddress} should configure. */
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

const alreadyPresent = /File exists|already assigned/i;
// `ip -batch` reports which input line failed; the line itself says nothing useful to a caller.
const batchNoise = /^Command failed -:\d+\s*$/gm;

/**
 * Adds an address idempotently: `changed: false` when it is already on `dev` with the same prefix,
 * `ADDRESS_CONFLICT` when it is present with another prefix or on another device.
 *
 * One `ip -batch` process reads the address's current state and adds it, so an add costs about
 * one bare `ip addr add`. When that state shows a conflict the kernel accepted anyway (same IPv4
 * address with another prefix, or the address on another device), the add is undone at once and
 * `ADDRESS_CONFLICT` is thrown: the host ends as it was.
 */
export async function addAddress(
  ctx: IpContext,
  options: AddAddressOptions,
): Promise<ChangeResult> {
  const dev = checkDeviceName(options.dev);
  const addr = parseAddress(options.address);
  const prefixLength = checkPrefixLength(options.prefixLength, addr.family);
  const extra = addOptions(options, dev, addr.family, prefixLength);
  const call = callOptions(options);
  const target = `${addr.text}/${prefixLength}`;
  const addArgs = ["addr", "add", target, "dev", dev, ...extra];
  return withKeyLock(lockKey(ctx, addr), async () => {
    const input = `addr show to ${addr.text}\n${addArgs.join(" ")}\n`;
    const result = await ctx.ip(["-json", familyFlag[addr.family], "-batch", "-"], call, input);
    if (/Cannot open network namespace|setting the network namespace/.test(result.stderr)) {
      throw commandError(result, `add ${target} to ${dev}`);
    }
    const before = parseAddressList(result.stdout, "ip -json addr show to").filter(
      (a) => parseAddress(a.address, "ip output").value === addr.value,
    );
    if (result.exitCode === 0) {
      const clash = before.find((a) => a.dev !== dev || a.prefixLength !== prefixLength);
      if (clash)
        await undoAdd(ctx, addr, target, dev, call, conflictWith(clash, addr, prefixLength, dev));
      return { changed: true };
    }
    if (alreadyPresent.test(result.stderr)) {
      if (before.length > 0) return { changed: !assertSame(before, dev, addr, prefixLength) };
      // Another process added it between our read and our add: fine if it is the same address.
      const again = await findAddress(ctx, addr, call);
      if (again.length > 0) return { changed: !assertSame(again, dev, addr, prefixLength) };
    }
    const single = [...result.argv.slice(0, -3), familyFlag[addr.family], ...addArgs];
    const stderr = result.stderr.replace(batchNoise, "").trim();
    throw commandError({ ...result, argv: single, stderr }, `add ${target} to ${dev}`);
  });
}

function conflictWith(
  clash: { dev: string; address: string; prefixLength: number },
  addr: ParsedAddress,
  prefix: number,
  dev: string,
): IprouteError {
  return conflict(
    addr,
    `${clash.dev} already has ${clash.address}/${clash.prefixLength}; asked for /${prefix} on ${dev}`,
  );
}

/** Removes the address this call just added next to a conflicting one, then throws the conflict. */
async function undoAdd(
  ctx: IpContext,
  addr: ParsedAddress,
  target: string,
  dev: string,
  call: CallOptions,
  error: IprouteError,
): Promise<never> {
  const undo = await ctx.ip([familyFlag[addr.family], "addr", "del", target, "dev", dev], call);
  if (undo.exitCode !== 0) {
    throw new IprouteError(
      "ADDRESS_CONFLICT",
      `${error.message}; removing the ${target} just added to ${dev} failed too, remove it by hand`,
      { cause: commandError(undo, `undo add ${target}`) },
    );
  }
  throw error;
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
