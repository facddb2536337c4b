// The network rule, enforced in every test worker: a socket may connect only to loopback, a Unix
// socket, or a documentation (TEST-NET) address that lives inside a namespace a test created.
// Anything else (the metadata service 169.254.169.254, an OCI host name, any DNS name at all)
// throws before a packet or a DNS query leaves the process. Child processes (agents in
// namespaces) are kept in by the namespaces themselves; this guards the worker's own sockets.
// `network-guard.ts` installs it (vitest setupFiles); this module has no side effects.
import { BlockList, isIP, Socket } from "node:net";

const allowed = new BlockList();
allowed.addSubnet("127.0.0.0", 8, "ipv4");
allowed.addAddress("::1", "ipv6");
// The unspecified address: Linux connects it to this host (a test of NO_PROXY uses it).
allowed.addAddress("0.0.0.0", "ipv4");
allowed.addAddress("::", "ipv6");
// Documentation ranges (RFC 5737, RFC 3849): the only addresses our namespaces use.
allowed.addSubnet("192.0.2.0", 24, "ipv4");
allowed.addSubnet("198.51.100.0", 24, "ipv4");
allowed.addSubnet("203.0.113.0", 24, "ipv4");
allowed.addSubnet("2001:db8::", 32, "ipv6");

/** Why a connection to `host` is refused, or undefined when the rule allows it. */
export function refusedConnection(host: string | undefined): string | undefined {
  const name = (host ?? "localhost").replace(/^\[|\]$/g, "");
  const lower = name.toLowerCase();
  if (lower === "localhost" || lower.endsWith(".localhost")) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(name)?.[1];
  const address = mapped ?? name.replace(/%.*$/, "");
  const family = isIP(address);
  if (family === 0)
    return `${name} is a host name (only loopback and TEST-NET addresses are allowed)`;
  if (allowed.check(address, family === 4 ? "ipv4" : "ipv6")) return undefined;
  return `${name} is neither loopback nor a TEST-NET address`;
}

type ConnectArgs = Parameters<Socket["connect"]>;

/** The host (or undefined for a Unix socket path) that `socket.connect(...args)` would dial. */
export function connectTarget(args: unknown[]): { host?: string | undefined; path?: string } {
  let first = args[0];
  if (Array.isArray(first)) first = first[0]; // Node's internal normalized form: [options, cb]
  if (typeof first === "object" && first !== null) {
    const o = first as { host?: string; path?: string };
    if (typeof o.path === "string") return { path: o.path };
    return { host: o.host };
  }
  if (typeof first === "string" && !/^\d+$/.test(first)) return { path: first };
  return { host: typeof args[1] === "string" ? args[1] : undefined };
}

const marker = Symbol.for("ocfkit.networkGuard");
const refusals: string[] = [];

/** The connections refused since the last call (and forgets them). */
export function takeRefusals(): string[] {
  return refusals.splice(0);
}

/** Installs the guard on `net.Socket` once per process. */
export function installNetworkGuard(): void {
  const proto = Socket.prototype as Socket & { [marker]?: true };
  if (proto[marker]) return;
  const original = proto.connect;
  proto.connect = function guardedConnect(this: Socket, ...args: ConnectArgs) {
    const target = connectTarget(args);
    if (target.path === undefined) {
      const why = refusedConnection(target.host);
      if (why !== undefined) {
        refusals.push(why);
        throw new Error(`network rule: refusing a connection from the test worker: ${why}`);
      }
    }
    return original.apply(this, args);
  } as Socket["connect"];
  proto[marker] = true;
}

/** True once `installNetworkGuard` has run in this process. */
export function guardInstalled(): boolean {
  return (Socket.prototype as Socket & { [marker]?: true })[marker] === true;
}
