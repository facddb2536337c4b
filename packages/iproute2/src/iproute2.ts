import { type AddAddressOptions, addAddress } from "./add.js";
import {
  type ChangeResult,
  type DeleteAddressOptions,
  deleteAddress,
  type ListAddressesOptions,
  listAddresses,
} from "./addr.js";
import { type AnnounceOptions, type AnnounceResult, announce } from "./announce.js";
import { createContext, type ToolPaths } from "./context.js";
import { type WaitForDadOptions, waitForDad } from "./dad.js";
import { IprouteError } from "./errors.js";
import type { CallOptions } from "./exec.js";
import {
  type FindInterfaceOptions,
  findInterface,
  findInterfaceByMac,
  type InterfaceMatch,
  listInterfaces,
} from "./find.js";
import type { Address, NetworkInterface } from "./schema.js";
import { checkNetnsName, checkPositiveInteger, show } from "./validate.js";

/** Options of {@link createIproute2}. */
export interface Iproute2Options {
  /** Run every command in this network namespace (`ip -n NAME`, `ip netns exec NAME`). */
  netns?: string;
  /** Path of the `ip` binary (default: the first of /usr/sbin/ip, /sbin/ip, /usr/bin/ip, /bin/ip, else PATH). */
  ipPath?: string;
  /** Time limit of each command in milliseconds (default 5000); a late command is killed. */
  timeoutMs?: number;
  /** Paths of `arping`, `send_arp`, `send_ua` for {@link Iproute2.announce}. */
  tools?: ToolPaths;
}

/** Local address management through `ip -json`, bound to one network namespace. */
export interface Iproute2 {
  /** The namespace this instance works in; undefined for the caller's own. */
  readonly netns: string | undefined;
  /** Lists local addresses (optionally of one device / family), with flags such as tentative. */
  listAddresses(options?: ListAddressesOptions): Promise<Address[]>;
  /** Adds an address idempotently; `ADDRESS_CONFLICT` when present with another prefix or device. */
  addAddress(options: AddAddressOptions): Promise<ChangeResult>;
  /** Removes an address idempotently. */
  deleteAddress(options: DeleteAddressOptions): Promise<ChangeResult>;
  /** The interface whose connected subnet contains `address` (never the default route's). */
  findInterface(address: string, options?: FindInterfaceOptions): Promise<InterfaceMatch>;
  /** The interface with this hardware address. */
  findInterfaceByMac(mac: string, options?: CallOptions): Promise<NetworkInterface>;
  /** Lists network interfaces: name, MAC, state, MTU. */
  listInterfaces(options?: CallOptions): Promise<NetworkInterface[]>;
  /** Waits for IPv6 duplicate address detection to finish; `DAD_FAILED` on a duplicate. */
  waitForDad(options: WaitForDadOptions): Promise<Address>;
  /** Sends gratuitous ARP (IPv4) or unsolicited neighbour advertisements (IPv6). */
  announce(options: AnnounceOptions): Promise<AnnounceResult>;
}

const defaultTimeoutMs = 5_000;

/**
 * Creates an `ip` wrapper for one network namespace. Validates the options; runs nothing until a
 * method is called.
 *
 * @example
 * ```ts
 * const ip = createIproute2({ netns: "blue" });
 * const { dev, prefixLength } = await ip.findInterface("192.0.2.100");
 * await ip.addAddress({ dev, address: "192.0.2.100", prefixLength }); // { changed: true }
 * await ip.announce({ dev, address: "192.0.2.100" });
 * ```
 */
export function createIproute2(options: Iproute2Options = {}): Iproute2 {
  const netns = options.netns === undefined ? undefined : checkNetnsName(options.netns);
  const timeoutMs = checkPositiveInteger(options.timeoutMs ?? defaultTimeoutMs, "timeoutMs");
  const ipPath = options.ipPath;
  if (ipPath !== undefined && (typeof ipPath !== "string" || ipPath.trim() === "")) {
    throw new IprouteError(
      "INVALID_ARGUMENT",
      `ipPath: expected the path of the ip binary, got ${show(ipPath)}`,
    );
  }
  const ctx = createContext({ netns, ipPath, timeoutMs, tools: options.tools });
  return {
    netns,
    listAddresses: (o) => listAddresses(ctx, o),
    addAddress: (o) => addAddress(ctx, o),
    deleteAddress: (o) => deleteAddress(ctx, o),
    findInterface: (address, o) => findInterface(ctx, address, o),
    findInterfaceByMac: (mac, o) => findInterfaceByMac(ctx, mac, o),
    listInterfaces: (o) => listInterfaces(ctx, o),
    waitForDad: (o) => waitForDad(ctx, o),
    announce: (o) => announce(ctx, o),
  };
}
