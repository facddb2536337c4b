import { IprouteError } from "./errors.js";
import type { Address, AddressFlag } from "./schema.js";

// The parser of `ip -json addr show` output, without zod: the agents' launchers (a quick monitor
// answers before anything else loads) and the full client use this one function.

// 0xffffffff is how the kernel spells an infinite lifetime.
const INFINITE_LIFETIME = 4294967295;
const NON_FLAG_KEYS = new Set([
  "family",
  "local",
  "address",
  "prefixlen",
  "scope",
  "label",
  "broadcast",
]);

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function truncate(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 200 ? `${JSON.stringify(flat.slice(0, 197))}...` : JSON.stringify(flat);
}

function lifetime(value: unknown): number | "forever" {
  return typeof value !== "number" || value >= INFINITE_LIFETIME ? "forever" : value;
}

/**
 * Parses `ip -json addr show` output into one {@link Address} per configured IPv4/IPv6 address;
 * throws `BAD_OUTPUT` (naming `what`) when it is not the expected JSON shape.
 */
export function parseAddressList(stdout: string, what = "ip -json addr show"): Address[] {
  const bad = (why: string): IprouteError =>
    new IprouteError("BAD_OUTPUT", `${what}: ${why}; got ${truncate(stdout)}`);
  let links: unknown;
  try {
    // `ip -json` prints nothing at all (not `[]`) for some empty results.
    links = stdout.trim() === "" ? [] : JSON.parse(stdout);
  } catch {
    throw bad("expected JSON");
  }
  if (!Array.isArray(links)) throw bad("expected a JSON array of links");
  const addresses: Address[] = [];
  for (const link of links) {
    if (!isObject(link) || typeof link.ifname !== "string" || link.ifname === "") {
      throw bad("a link has no ifname");
    }
    const infos = link.addr_info ?? [];
    if (!Array.isArray(infos)) throw bad(`addr_info of ${link.ifname} is not an array`);
    for (const info of infos) {
      // `ip -json addr show to X` prints `{}` for each address it filters out.
      if (isObject(info) && Object.keys(info).length === 0) continue;
      const prefix = isObject(info) ? info.prefixlen : undefined;
      if (
        !isObject(info) ||
        typeof info.family !== "string" ||
        typeof info.local !== "string" ||
        !Number.isInteger(prefix) ||
        (prefix as number) < 0 ||
        (prefix as number) > 128
      ) {
        throw bad(`an address of ${link.ifname} lacks family, local or prefixlen`);
      }
      if (info.family !== "inet" && info.family !== "inet6") continue;
      const flags: AddressFlag[] = Object.keys(info).filter(
        (key) => info[key] === true && !NON_FLAG_KEYS.has(key),
      );
      const label = typeof info.label === "string" ? info.label : link.ifname;
      addresses.push({
        dev: link.ifname,
        family: info.family,
        address: info.local,
        prefixLength: prefix as number,
        label: info.family === "inet" ? label : undefined,
        scope: typeof info.scope === "string" ? info.scope : "global",
        flags,
        validLifetime: lifetime(info.valid_life_time),
        preferredLifetime: lifetime(info.preferred_life_time),
      });
    }
  }
  return addresses;
}
