import { listAddresses } from "./addr.js";
import { commandError, findExecutable, type IpContext } from "./context.js";
import { IprouteError } from "./errors.js";
import type { CallOptions } from "./exec.js";
import { checkDeviceName, checkPositiveInteger, parseAddress, show } from "./validate.js";

/** Which program sends IPv4 announcements; `auto` prefers `send_arp` (millisecond intervals). */
export type ArpSender = "auto" | "send_arp" | "arping";

/** Options of {@link Iproute2.announce}. */
export interface AnnounceOptions extends CallOptions {
  /** Device the address is on. */
  dev: string;
  /** The address to announce (must be configured on `dev`). */
  address: string;
  /** How many announcements to send (default 5, like IPaddr2's `arp_count`). */
  count?: number;
  /** Milliseconds between announcements (default 200; `arping` rounds up to whole seconds). */
  intervalMs?: number;
  /** IPv4 only: which sender to use (default `auto`). */
  sender?: ArpSender;
  /**
   * Start the sender and return at once, without waiting for it to finish (as IPaddr2's
   * `arp_bg`): the first announcement leaves immediately either way, and the caller no longer
   * waits out the intervals (`send_arp` also sleeps one interval after its last packet). Its
   * exit status is then not reported. Default false.
   */
  background?: boolean;
}

/** What {@link Iproute2.announce} did. */
export interface AnnounceResult {
  /** The program that sent the announcements. */
  readonly tool: "send_arp" | "arping" | "send_ua";
  /** Announcements sent. */
  readonly count: number;
  /** Interval actually used, in milliseconds. */
  readonly intervalMs: number;
  /** With `background`: the PID of the sender (or of `ip netns exec` running it). */
  readonly pid?: number;
}

const defaultCount = 5;
const defaultIntervalMs = 200;
// Extra time beyond count × interval before an announcement command counts as hung.
const announceSlackMs = 5_000;

/**
 * Tells the link that `address` now lives on `dev`: gratuitous ARP for IPv4 (`send_arp` or iputils
 * `arping -U`), unsolicited neighbour advertisements for IPv6 (`send_ua`).
 */
export async function announce(ctx: IpContext, options: AnnounceOptions): Promise<AnnounceResult> {
  const dev = checkDeviceName(options.dev);
  const addr = parseAddress(options.address);
  const count = checkPositiveInteger(options.count ?? defaultCount, "count", 1000);
  const intervalMs = checkPositiveInteger(
    options.intervalMs ?? defaultIntervalMs,
    "intervalMs",
    60_000,
  );
  const sender = options.sender ?? "auto";
  if (sender !== "auto" && sender !== "send_arp" && sender !== "arping") {
    throw new IprouteError(
      "INVALID_ARGUMENT",
      `sender: expected "auto", "send_arp" or "arping", got ${show(sender)}`,
    );
  }
  if (options.background !== undefined && typeof options.background !== "boolean") {
    throw new IprouteError(
      "INVALID_ARGUMENT",
      `background: expected true or false, got ${show(options.background)}`,
    );
  }
  const listCall: Parameters<typeof listAddresses>[1] = { dev, family: addr.family };
  if (options.signal) listCall.signal = options.signal;
  const onDev = (await listAddresses(ctx, listCall)).find(
    (a) => parseAddress(a.address, "ip output").value === addr.value,
  );
  if (!onDev) {
    throw new IprouteError(
      "ADDRESS_NOT_FOUND",
      `address: ${addr.text} is not configured on ${dev}; add it before announcing`,
    );
  }
  const command = await senderCommand(ctx, sender, {
    address: addr.text,
    ipv6: addr.family === "inet6",
    prefixLength: onDev.prefixLength,
    dev,
    count,
    intervalMs,
  });
  if (options.background === true) {
    const { pid } = await ctx.detach(command.file, command.args);
    return { tool: command.tool, count, intervalMs: command.intervalMs, pid };
  }
  const timeoutMs =
    options.timeoutMs ?? Math.max(ctx.timeoutMs, count * command.intervalMs + announceSlackMs);
  const call = options.signal ? { timeoutMs, signal: options.signal } : { timeoutMs };
  const result = await ctx.tool(command.file, command.args, call);
  if (result.exitCode !== 0) {
    throw commandError(result, `announce ${addr.text} on ${dev} with ${command.tool}`);
  }
  return { tool: command.tool, count, intervalMs: command.intervalMs };
}

/** Picks the sender program and builds its argv (flags as resource-agents' IPaddr2 passes them). */
async function senderCommand(
  ctx: IpContext,
  sender: ArpSender,
  a: {
    address: string;
    ipv6: boolean;
    prefixLength: number;
    dev: string;
    count: number;
    intervalMs: number;
  },
): Promise<{ tool: AnnounceResult["tool"]; file: string; args: string[]; intervalMs: number }> {
  const count = String(a.count);
  if (a.ipv6) {
    if (sender !== "auto") {
      throw new IprouteError(
        "INVALID_ARGUMENT",
        `sender: "${sender}" sends ARP, which is IPv4 only; IPv6 uses send_ua`,
      );
    }
    const args = [
      "-i",
      String(a.intervalMs),
      "-c",
      count,
      a.address,
      String(a.prefixLength),
      a.dev,
    ];
    return { tool: "send_ua", file: ctx.tools.sendUa, args, intervalMs: a.intervalMs };
  }
  if (
    sender === "send_arp" ||
    (sender === "auto" && (await findExecutable(ctx.tools.sendArp)) !== undefined)
  ) {
    // send_arp wants a MAC ("auto": the device's own) and two legacy arguments it ignores.
    const args = [
      "-i",
      String(a.intervalMs),
      "-r",
      count,
      a.dev,
      a.address,
      "auto",
      "not_used",
      "not_used",
    ];
    return { tool: "send_arp", file: ctx.tools.sendArp, args, intervalMs: a.intervalMs };
  }
  // iputils arping takes whole seconds between packets.
  const seconds = Math.ceil(a.intervalMs / 1000);
  const args = ["-q", "-U", "-c", count, "-i", String(seconds), "-I", a.dev, a.address];
  return { tool: "arping", file: ctx.tools.arping, args, intervalMs: seconds * 1000 };
}
