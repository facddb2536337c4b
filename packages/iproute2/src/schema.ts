import * as z from "zod/mini";
import { en } from "zod/v4/locales";
import { IprouteError } from "./errors.js";
import type { AddressFamily } from "./validate.js";

// zod/mini, not zod classic: the same checks and issues, a fraction of the start-up cost (every
// agent action is a new process that loads these schemas). `z.number().check(z.int())` is exactly
// classic's `z.number().int()`.
const int = () => z.number().check(z.int());

// Built on first use, not at import: a new process can start its `ip` command first.
function lazy<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => {
    built ??= build();
    return built;
  };
}

// `ip -json addr show to X` prints `{}` for each address it filters out: an empty entry is allowed.
const addrInfoSchema = lazy(() =>
  z.union([
    z.looseObject({
      family: z.string(),
      local: z.string(),
      prefixlen: int().check(z.minimum(0), z.maximum(128)),
      scope: z.optional(z.string()),
      label: z.optional(z.string()),
      valid_life_time: z.optional(z.number()),
      preferred_life_time: z.optional(z.number()),
    }),
    z.pipe(
      z.strictObject({}),
      z.transform(() => undefined),
    ),
  ]),
);

/** One link (network device) as `ip -json link show` / `ip -json addr show` print it. */
export const linkSchema = lazy(() =>
  z.looseObject({
    ifindex: int(),
    ifname: z.string().check(z.minLength(1)),
    flags: z._default(z.array(z.string()), []),
    mtu: z.optional(int()),
    operstate: z.optional(z.string()),
    link_type: z.optional(z.string()),
    address: z.optional(z.string()),
    master: z.optional(z.string()),
    addr_info: z.optional(z.array(addrInfoSchema())),
  }),
);

/** The whole output of `ip -json link show` or `ip -json addr show`. */
export const linkListSchema = lazy(() => z.array(linkSchema()));

/** One route as `ip -json route show` prints it. */
export const routeSchema = lazy(() =>
  z.looseObject({
    type: z.optional(z.string()),
    dst: z.string(),
    gateway: z.optional(z.string()),
    nexthops: z.optional(z.array(z.unknown())),
    dev: z.optional(z.string()),
    scope: z.optional(z.string()),
    prefsrc: z.optional(z.string()),
    metric: z.optional(z.number()),
  }),
);

/** The whole output of `ip -json route show`. */
export const routeListSchema = lazy(() => z.array(routeSchema()));

/** A route as `ip -json route show` prints it (the fields we use). */
export type Route = z.infer<ReturnType<typeof routeSchema>>;

/** Kernel address flags `ip -json` reports as `true` booleans (tentative, dadfailed, deprecated...). */
export type AddressFlag =
  | "tentative"
  | "dadfailed"
  | "deprecated"
  | "nodad"
  | "secondary"
  | "permanent"
  | "optimistic"
  | "home"
  | "noprefixroute"
  | "autojoin"
  | "mngtmpaddr"
  | "temporary"
  | "dynamic"
  | (string & {});

/** A local address configured on an interface. */
export interface Address {
  /** Device (interface) name, e.g. `eth0`. */
  readonly dev: string;
  /** `inet` (IPv4) or `inet6` (IPv6). */
  readonly family: AddressFamily;
  /** The address as the kernel prints it (IPv6 in canonical compressed form). */
  readonly address: string;
  /** Prefix length of the address's subnet. */
  readonly prefixLength: number;
  /** IPv4 label (e.g. `eth0:vip`); undefined for IPv6. */
  readonly label: string | undefined;
  /** `global`, `link`, `host`... */
  readonly scope: string;
  /** Flags set on the address, e.g. `["tentative"]`, `["nodad", "deprecated"]`. */
  readonly flags: readonly AddressFlag[];
  /** Valid lifetime in seconds; `"forever"` when infinite. */
  readonly validLifetime: number | "forever";
  /** Preferred lifetime in seconds (0 = deprecated, never chosen as a source); `"forever"` when infinite. */
  readonly preferredLifetime: number | "forever";
}

/** Operational state and identity of a network interface. */
export interface NetworkInterface {
  /** Device name, e.g. `eth0`. */
  readonly name: string;
  /** Kernel interface index. */
  readonly index: number;
  /** Hardware address in lower case (`02:00:17:00:00:11`); undefined for links without one. */
  readonly mac: string | undefined;
  /** Operational state as the kernel reports it: `UP`, `DOWN`, `UNKNOWN`, `LOWERLAYERDOWN`... */
  readonly state: string;
  /** True when the administrative `UP` flag is set. */
  readonly up: boolean;
  /** MTU in bytes. */
  readonly mtu: number | undefined;
  /** Link type: `ether`, `loopback`, `none`... */
  readonly linkType: string | undefined;
  /** The bond/bridge/VRF this interface is enslaved to, if any. */
  readonly master: string | undefined;
  /** Link flags, e.g. `["BROADCAST", "MULTICAST", "UP", "LOWER_UP"]`. */
  readonly flags: readonly string[];
}

/** Parses JSON text printed by `ip -json` with a schema, or throws `BAD_OUTPUT` naming the command. */
export function parseJson<T>(
  schema: z.ZodMiniType<T> | (() => z.ZodMiniType<T>),
  stdout: string,
  what: string,
): T {
  let raw: unknown;
  try {
    // `ip -json` prints nothing at all (not `[]`) for some empty results.
    raw = stdout.trim() === "" ? [] : JSON.parse(stdout);
  } catch (cause) {
    throw new IprouteError("BAD_OUTPUT", `${what}: expected JSON, got ${truncate(stdout)}`, {
      cause,
    });
  }
  // zod/mini has no messages of its own: English for this parse only (unless the application chose
  // a locale) so BAD_OUTPUT messages stay readable; nothing global is changed.
  const error = z.config().localeError === undefined ? en().localeError : undefined;
  const result = (typeof schema === "function" ? schema() : schema).safeParse(
    raw,
    error ? { error } : undefined,
  );
  if (!result.success) {
    throw new IprouteError(
      "BAD_OUTPUT",
      `${what}: output does not have the expected shape (${z.prettifyError(result.error)}); got ${truncate(stdout)}`,
      { cause: result.error },
    );
  }
  return result.data;
}

/** Turns `ip -json link show` output into {@link NetworkInterface} records. */
export function toInterfaces(
  links: z.infer<ReturnType<typeof linkListSchema>>,
): NetworkInterface[] {
  return links.map((link) => ({
    name: link.ifname,
    index: link.ifindex,
    mac:
      link.address && /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(link.address)
        ? link.address.toLowerCase()
        : undefined,
    state: link.operstate ?? "UNKNOWN",
    up: link.flags.includes("UP"),
    mtu: link.mtu,
    linkType: link.link_type,
    master: link.master,
    flags: link.flags,
  }));
}

function truncate(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 200 ? `${JSON.stringify(flat.slice(0, 197))}...` : JSON.stringify(flat);
}
