import { listAddresses } from "./addr.js";
import type { IpContext } from "./context.js";
import { IprouteError } from "./errors.js";
import { type CallOptions, sleep } from "./exec.js";
import type { Address } from "./schema.js";
import { checkDeviceName, checkPositiveInteger, parseAddress } from "./validate.js";

/** Options of {@link Iproute2.waitForDad}. */
export interface WaitForDadOptions extends Pick<CallOptions, "signal"> {
  /** Device the address is on. */
  dev: string;
  /** The address to watch. */
  address: string;
  /** Give up after this many milliseconds in total (default 10000). */
  timeoutMs?: number;
  /** Poll every this many milliseconds (default 100). */
  intervalMs?: number;
}

const defaultWaitMs = 10_000;
const defaultPollMs = 100;

/**
 * Waits until an IPv6 address has left the `tentative` state and returns it; throws `DAD_FAILED`
 * when duplicate address detection found another holder, `ADDRESS_NOT_FOUND` when it is not on
 * `dev`, `TIMEOUT` when it stays tentative. IPv4 has no DAD: the address is returned once present.
 */
export async function waitForDad(ctx: IpContext, options: WaitForDadOptions): Promise<Address> {
  const dev = checkDeviceName(options.dev);
  const addr = parseAddress(options.address);
  const waitMs = checkPositiveInteger(options.timeoutMs ?? defaultWaitMs, "timeoutMs");
  const pollMs = checkPositiveInteger(options.intervalMs ?? defaultPollMs, "intervalMs");
  const deadline = Date.now() + waitMs;
  for (;;) {
    const call = {
      dev,
      family: addr.family,
      timeoutMs: Math.max(1, Math.min(ctx.timeoutMs, deadline - Date.now())),
    };
    const list = await listAddresses(
      ctx,
      options.signal ? { ...call, signal: options.signal } : call,
    );
    const found = list.find((a) => parseAddress(a.address, "ip output").value === addr.value);
    if (!found) {
      throw new IprouteError(
        "ADDRESS_NOT_FOUND",
        `address: ${addr.text} is not configured on ${dev}`,
      );
    }
    if (found.flags.includes("dadfailed")) {
      throw new IprouteError(
        "DAD_FAILED",
        `address: duplicate address detection failed for ${addr.text} on ${dev}: another host on the link ` +
          "already uses it. Remove it (deleteAddress) and find the other holder",
      );
    }
    if (!found.flags.includes("tentative")) return found;
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new IprouteError(
        "TIMEOUT",
        `address: ${addr.text} on ${dev} was still tentative (duplicate address detection) after ${waitMs} ms`,
      );
    }
    await sleep(Math.min(pollMs, left), options.signal);
  }
}
