import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";

/** A network namespace a test created: only `lo` plus what the test adds; deleted by `remove()`. */
export interface TestNetns {
  readonly name: string;
  /** Runs `ip -n NAME ...` and returns stdout. */
  ip(...args: string[]): string;
  /** Runs a command inside the namespace and returns stdout. */
  exec(command: string, args: string[]): string;
  remove(): void;
}

/** Creates `ocfk-vip-<random>` with `lo` up; nothing in it can reach the host's network. */
export function createTestNetns(prefix = "ocfk-vip"): TestNetns {
  const name = `${prefix}-${randomBytes(4).toString("hex")}`;
  execFileSync("ip", ["netns", "add", name]);
  const ip = (...args: string[]): string =>
    execFileSync("ip", ["-n", name, ...args], { encoding: "utf8" });
  ip("link", "set", "lo", "up");
  return {
    name,
    ip,
    exec: (command, args) =>
      execFileSync("ip", ["netns", "exec", name, command, ...args], { encoding: "utf8" }),
    remove: () => {
      // Processes a test left inside (e.g. a hung agent's children), killed by PID.
      try {
        const pids = execFileSync("ip", ["netns", "pids", name], { encoding: "utf8" });
        for (const pid of pids.split("\n").filter(Boolean)) {
          try {
            process.kill(Number(pid), "SIGKILL");
          } catch {
            // already gone
          }
        }
      } catch {
        // no such namespace
      }
      try {
        execFileSync("ip", ["netns", "del", name], { stdio: "ignore" });
      } catch {
        // already gone
      }
    },
  };
}

/** Options for a host-like interface inside a test namespace. */
export interface NicOptions {
  name: string;
  mac: string;
  /** Primary address with prefix, e.g. "192.0.2.11/24". */
  address?: string;
  /** Make this interface carry the default route (via the .1 of its subnet). */
  defaultRoute?: boolean;
}

/**
 * Adds a veth interface with the MAC of an emulated VNIC whose peer stays in the same namespace
 * (nothing leaves it), optionally its primary address and the default route.
 */
export function addNic(ns: TestNetns, nic: NicOptions): void {
  const peer = `${nic.name.slice(0, 11)}-p`;
  ns.ip("link", "add", nic.name, "address", nic.mac, "type", "veth", "peer", "name", peer);
  ns.ip("link", "set", peer, "up");
  ns.ip("link", "set", nic.name, "up");
  if (nic.address) ns.ip("addr", "add", nic.address, "dev", nic.name);
  if (nic.defaultRoute && nic.address) {
    const [net] = nic.address.split("/");
    const gw = net!.replace(/\.\d+$/, ".1");
    ns.ip("route", "add", "default", "via", gw, "dev", nic.name);
  }
}

/** The addresses (`ip/prefix`) on an interface inside the namespace, with their labels. */
export function addressesOf(
  ns: TestNetns,
  dev: string,
): { local: string; prefixlen: number; label?: string }[] {
  const out = JSON.parse(ns.ip("-json", "addr", "show", "dev", dev)) as {
    addr_info: { local: string; prefixlen: number; label?: string }[];
  }[];
  return out.flatMap((link) => link.addr_info);
}
