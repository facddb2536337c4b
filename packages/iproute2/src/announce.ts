import { access, constants } from "node:fs/promises";
import { listAddresses } from "./addr.js";
import { commandError, type IpContext } from "./context.js";
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
}

/** What {@link Iproute2.announce} did. */
export interface AnnounceResult {
  /** The program that sent the announcements. */
  readonly tool: "send_arp" | "arping" | "send_ua";
  /** Announcements sent. */
  readonly count: number;
  /** Interval actually used, in milliseconds. */
  readonly intervalMs: number;
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
  let tool: AnnounceResult["tool"];
  let args: string[];
  let usedInterval = intervalMs;
  if (addr.family === "inet6") {
    tool = "send_ua";
    args = [
      "-i",
      String(intervalMs),
      "-c",
      String(count),
      addr.text,
      String(onDev.prefixLength),
      dev,
    ];
  } else if (
    sender === "send_arp" ||
    (sender === "auto" && (await isExecutable(ctx.tools.sendArp)))
  ) {
    tool = "send_arp";
    // send_arp wants a MAC ("auto": the device's own) plus two legacy arguments it ignores.
    args = [
      "-i",
      String(intervalMs),
      "-r",
      String(count),
      dev,
      addr.text,
      "auto",
      "not_used",
      "not_used",
    ];
  } else {
    tool = "arping";
    // iputils arping takes whole seconds between packets.
    usedInterval = Math.ceil(intervalMs / 1000) * 1000;
    args = [
      "-q",
      "-U",
      "-c",
      String(count),
      "-i",
      String(usedInterval / 1000),
      "-I",
      dev,
      addr.text,
    ];
  }
  const file =
    tool === "send_ua"
      ? ctx.tools.sendUa
      : tool === "send_arp"
        ? ctx.tools.sendArp
        : ctx.tools.arping;
  const timeoutMs =
    options.timeoutMs ?? Math.max(ctx.timeoutMs, count * usedInterval + announceSlackMs);
  const result = await ctx.tool(
    file,
    args,
    options.signal ? { timeoutMs, signal: options.signal } : { timeoutMs },
  );
  if (result.exitCode !== 0)
    throw commandError(result, `announce ${addr.text} on ${dev} with ${tool}`);
  return { tool, count, intervalMs: usedInterval };
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
