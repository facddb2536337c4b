import { type Address, createIproute2, type Iproute2, IprouteError } from "@ocfkit/iproute2";
import type { LocalAddress, LocalNet } from "./ports.js";

/** Milliseconds between announcements after start. */
const ANNOUNCE_INTERVAL_MS = 200;

type Family = "inet" | "inet6";

const familyOf = (address: string): Family => (address.includes(":") ? "inet6" : "inet");

// One listing started before the agent has loaded and parsed everything (see listAddressesEarly).
let early: { readonly family: Family; readonly list: Promise<Address[]> } | undefined;

/**
 * Starts the `ip -json addr` listing a monitor of `address` will make, so the command runs while
 * the new process is still starting up; the next `findAddress` of that family takes its result
 * (or its error) instead of running `ip` again. Still one `ip` process per monitor. Returns a
 * function that drops the listing if nothing took it (call it when the action is over).
 */
export function listAddressesEarly(address: string, ip: Iproute2 = createIproute2()): () => void {
  const family = familyOf(address);
  const list = ip.listAddresses({ family });
  // Handled by whoever takes it; a process that never does must not die of it.
  list.catch(() => undefined);
  const mine = { family, list };
  early = mine;
  return () => {
    if (early === mine) early = undefined;
  };
}

function takeEarly(
  family: Family,
  signal: AbortSignal | undefined,
): Promise<Address[]> | undefined {
  const taken = early;
  early = undefined;
  return taken?.family === family && !signal?.aborted ? taken.list : undefined;
}

/** The host side of the agent on `@ocfkit/iproute2` (the caller's own network namespace). */
export function createLocalNet(ip: Iproute2 = createIproute2()): LocalNet {
  return {
    async findAddress(address, signal): Promise<LocalAddress[]> {
      const family = familyOf(address);
      const all = await (takeEarly(family, signal) ?? ip.listAddresses({ family, signal }));
      return all
        .filter((a) => a.address === address)
        .map((a) => ({
          dev: a.dev,
          prefixLength: a.prefixLength,
          interfacePrimary: a.family === "inet" && !a.flags.includes("secondary"),
        }));
    },
    async addAddress({ dev, ip: address, prefixLength, label }, signal) {
      const v6 = address.includes(":");
      return ip.addAddress({
        dev,
        address,
        prefixLength,
        signal,
        ...(label === undefined ? {} : { label }),
        // A floating IPv6 address must not become the node's source address (preferred_lft 0);
        // the cloud, not DAD, guarantees it is ours (nodad).
        ...(v6 ? { noDad: true, preferredLifetime: 0 } : {}),
      });
    },
    deleteAddress: ({ dev, ip: address }, signal) => ip.deleteAddress({ dev, address, signal }),
    async findInterfaceByMac(mac, signal) {
      try {
        return (await ip.findInterfaceByMac(mac, { signal })).name;
      } catch (error) {
        if (error instanceof IprouteError && error.code === "INTERFACE_NOT_FOUND") return undefined;
        throw error;
      }
    },
    async hasInterface(dev, signal) {
      return (await ip.listInterfaces({ signal })).some((i) => i.name === dev);
    },
    async announce({ dev, ip: address, count }, signal) {
      // In the background, as IPaddr2's arp_bg: the first packet leaves at once either way, and
      // start need not wait out the sender (send_arp sleeps an interval after its last packet).
      await ip.announce({
        dev,
        address,
        count,
        intervalMs: ANNOUNCE_INTERVAL_MS,
        signal,
        background: true,
      });
    },
  };
}
