import { type IpContext, ipJson } from "./context.js";
import { IprouteError } from "./errors.js";
import type { CallOptions } from "./exec.js";
import {
  linkListSchema,
  type NetworkInterface,
  parseJson,
  type Route,
  routeListSchema,
  toInterfaces,
} from "./schema.js";
import { checkPrefixLength, normalizeMac, parseAddress } from "./validate.js";

/** Options of {@link Iproute2.findInterface}. */
export interface FindInterfaceOptions extends CallOptions {
  /** The subnet's prefix length when known: only subnets at least this wide match, and it is returned as is. */
  prefixLength?: number;
}

/** The interface that serves an address's subnet. */
export interface InterfaceMatch {
  /** Device name, e.g. `eth0`. */
  readonly dev: string;
  /** The prefix length to configure: the one asked for, or the connected subnet's. */
  readonly prefixLength: number;
  /** The connected subnet that matched, e.g. `192.0.2.0/24`. */
  readonly network: string;
}

/** Lists the network interfaces (name, MAC, state, MTU...) in kernel order. */
export async function listInterfaces(
  ctx: IpContext,
  call: CallOptions = {},
): Promise<NetworkInterface[]> {
  const stdout = await ipJson(ctx, ["link", "show"], "list interfaces", call);
  return toInterfaces(parseJson(linkListSchema, stdout, "ip -json link show"));
}

/**
 * Finds the interface whose connected subnet contains `address` (longest prefix wins), like
 * resource-agents' findif.sh: routes through a gateway, the default route and host routes never match.
 */
export async function findInterface(
  ctx: IpContext,
  address: string,
  options: FindInterfaceOptions = {},
): Promise<InterfaceMatch> {
  const addr = parseAddress(address);
  const prefix =
    options.prefixLength === undefined
      ? undefined
      : checkPrefixLength(options.prefixLength, addr.family);
  if (addr.family === "inet6" && addr.value >> 118n === 0x3fan) {
    throw new IprouteError(
      "INVALID_ADDRESS",
      `address: ${addr.text} is link-local (fe80::/10), which every interface has; name the device instead`,
    );
  }
  const match = prefix === undefined ? addr.text : `${addr.text}/${prefix}`;
  const flag = addr.family === "inet" ? "-4" : "-6";
  const stdout = await ipJson(
    ctx,
    [flag, "route", "show", "table", "main", "match", match],
    "find interface",
    options,
  );
  const best = pickConnectedRoute(parseJson(routeListSchema, stdout, "ip -json route show"));
  if (!best) {
    throw new IprouteError(
      "INTERFACE_NOT_FOUND",
      `address: no interface has a connected subnet containing ${match}${ctx.netns ? ` in netns ${ctx.netns}` : ""}; ` +
        "configure an address of that subnet on the interface, or pass the device explicitly",
    );
  }
  return { dev: best.dev, prefixLength: prefix ?? best.prefixLength, network: best.network };
}

/**
 * Picks the connected route with the longest prefix (then the lowest metric) from
 * `ip -json route show match` output; undefined when there is none.
 */
export function pickConnectedRoute(
  routes: readonly Route[],
): { dev: string; prefixLength: number; network: string } | undefined {
  let best: { dev: string; prefixLength: number; network: string; metric: number } | undefined;
  for (const route of routes) {
    const slash = route.dst.indexOf("/");
    const connected =
      route.dev !== undefined &&
      route.gateway === undefined &&
      route.nexthops === undefined &&
      (route.type === undefined || route.type === "unicast") &&
      slash > 0;
    if (!connected || route.dev === undefined) continue;
    const prefixLength = Number(route.dst.slice(slash + 1));
    const metric = route.metric ?? 0;
    if (
      !best ||
      prefixLength > best.prefixLength ||
      (prefixLength === best.prefixLength && metric < best.metric)
    ) {
      best = { dev: route.dev, prefixLength, network: route.dst, metric };
    }
  }
  return best && { dev: best.dev, prefixLength: best.prefixLength, network: best.network };
}

/**
 * Finds the interface with hardware address `mac` (any case, `:` or `-`). When several share it
 * (VLANs, bond members), the first one in kernel order that is not enslaved to a master wins.
 */
export async function findInterfaceByMac(
  ctx: IpContext,
  mac: string,
  call: CallOptions = {},
): Promise<NetworkInterface> {
  const wanted = normalizeMac(mac);
  const found = pickInterfaceByMac(await listInterfaces(ctx, call), wanted);
  if (!found) {
    throw new IprouteError(
      "INTERFACE_NOT_FOUND",
      `mac: no interface has hardware address ${wanted}${ctx.netns ? ` in netns ${ctx.netns}` : ""}`,
    );
  }
  return found;
}

/**
 * The interface with MAC `mac` (already normalized): the first in kernel order that is not
 * enslaved to a master (bridge, bond), else the first at all; undefined when none has it.
 */
export function pickInterfaceByMac(
  interfaces: readonly NetworkInterface[],
  mac: string,
): NetworkInterface | undefined {
  const matches = interfaces.filter((i) => i.mac === mac);
  return matches.find((i) => i.master === undefined) ?? matches[0];
}
