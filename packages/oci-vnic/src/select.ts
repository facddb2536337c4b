import { invalidParameter, OciVnicError } from "./errors.js";
import { cidrContains, parseIp, tryParseCidr } from "./ip.js";
import { type MetadataSnapshot, normalizeMac, type VnicInfo } from "./metadata.js";

/** How to pick one of this instance's VNICs; `{ ip }` (the subnet contains the IP) is the usual. */
export type VnicSelector =
  | { ip: string }
  | { vnicId: string }
  | { mac: string }
  | { nicIndex: number };

const selectorKeys = ["ip", "vnicId", "mac", "nicIndex"] as const;

/** Checks that `selector` has exactly one known key with a valid value. */
export function validateSelector(selector: unknown): VnicSelector {
  const allowed = "exactly one of { ip }, { vnicId }, { mac }, { nicIndex }";
  if (typeof selector !== "object" || selector === null) {
    throw invalidParameter("selector", allowed, selector);
  }
  const keys = Object.keys(selector).filter(
    (k) => (selector as Record<string, unknown>)[k] !== undefined,
  );
  const [key] = keys;
  if (keys.length !== 1 || !selectorKeys.includes(key as (typeof selectorKeys)[number])) {
    throw invalidParameter("selector", allowed, selector);
  }
  const value = (selector as Record<string, unknown>)[key as string];
  switch (key) {
    case "ip":
      parseIp(value, "selector.ip");
      return { ip: value as string };
    case "vnicId":
      if (typeof value !== "string" || !value.startsWith("ocid1.vnic.")) {
        throw invalidParameter("selector.vnicId", "a VNIC OCID (ocid1.vnic....)", value);
      }
      return { vnicId: value };
    case "mac":
      if (typeof value !== "string" || normalizeMac(value) === undefined) {
        throw invalidParameter("selector.mac", "a MAC address such as 02:00:17:00:00:11", value);
      }
      return { mac: value };
    default:
      if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
        throw invalidParameter("selector.nicIndex", "an integer >= 0", value);
      }
      return { nicIndex: value };
  }
}

/** One line per VNIC, for error messages that list what there is. */
export function describeVnics(vnics: readonly VnicInfo[]): string {
  if (vnics.length === 0) return "(none)";
  return vnics
    .map(
      (v) =>
        `${v.vnicId} mac=${v.macAddress} ip=${v.privateIp} subnet=${v.subnetCidr ?? "?"}` +
        `${v.ipv6SubnetCidr ? ` ipv6-subnet=${v.ipv6SubnetCidr}` : ""} nicIndex=${v.nicIndex}`,
    )
    .join("; ");
}

function describeSelector(selector: VnicSelector): string {
  const [[key, value]] = Object.entries(selector) as [[string, unknown]];
  return `${key}=${String(value)}`;
}

function matches(vnic: VnicInfo, selector: VnicSelector): boolean {
  if ("vnicId" in selector) return vnic.vnicId === selector.vnicId;
  if ("mac" in selector) return vnic.macAddress === normalizeMac(selector.mac);
  if ("nicIndex" in selector) return vnic.nicIndex === selector.nicIndex;
  const ip = parseIp(selector.ip, "selector.ip");
  const cidrText = ip.family === 4 ? vnic.subnetCidr : vnic.ipv6SubnetCidr;
  const cidr = cidrText === undefined ? undefined : tryParseCidr(cidrText);
  return cidr !== undefined && cidrContains(cidr, ip);
}

/** The VNICs of `snapshot` that `selector` picks (zero, one or several). */
export function findVnics(snapshot: MetadataSnapshot, selector: VnicSelector): VnicInfo[] {
  return snapshot.vnics.filter((v) => matches(v, selector));
}

/** Picks exactly one VNIC or throws VNIC_NOT_FOUND / VNIC_AMBIGUOUS listing all VNICs. */
export function pickVnic(snapshot: MetadataSnapshot, selector: VnicSelector): VnicInfo {
  const found = findVnics(snapshot, selector);
  if (found.length === 1) return found[0]!;
  const listing = describeVnics(snapshot.vnics);
  if (found.length === 0) {
    const why =
      "ip" in selector ? "no VNIC's subnet contains that address" : "no VNIC has that value";
    throw new OciVnicError(
      "VNIC_NOT_FOUND",
      `no VNIC matches ${describeSelector(selector)} (${why}); this instance has: ${listing}`,
    );
  }
  throw new OciVnicError(
    "VNIC_AMBIGUOUS",
    `${found.length} VNICs match ${describeSelector(selector)}; select by vnicId or mac instead. ` +
      `Matching: ${describeVnics(found)}`,
  );
}
