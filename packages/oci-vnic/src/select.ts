import { invalidParameter, OciVnicError } from "./errors.js";
import { cidrContains, parseIp, tryParseCidr } from "./ip.js";
import { type MetadataSnapshot, normalizeMac, type VnicInfo } from "./metadata.js";

/**
 * How to pick one of this instance's VNICs; `{ ip }` (the subnet contains the IP) is the usual.
 * `{ nicIndex }` is OCI's physical NIC index (bare metal: NIC 0 or 1, each shared by several
 * VNICs; VMs: every VNIC is on NIC 0); add `ip` to choose among the VNICs on that NIC by subnet.
 */
export type VnicSelector =
  | { ip: string }
  | { vnicId: string }
  | { mac: string }
  | { nicIndex: number; ip?: string };

const selectorKeys = ["ip", "vnicId", "mac", "nicIndex"] as const;

/** Checks that `selector` has exactly one known key with a valid value. */
export function validateSelector(selector: unknown): VnicSelector {
  const allowed = "exactly one of { ip }, { vnicId }, { mac }, { nicIndex } (nicIndex may add ip)";
  if (typeof selector !== "object" || selector === null) {
    throw invalidParameter("selector", allowed, selector);
  }
  const keys = Object.keys(selector).filter(
    (k) => (selector as Record<string, unknown>)[k] !== undefined,
  );
  if (keys.length === 2 && keys.includes("nicIndex") && keys.includes("ip")) {
    const { nicIndex, ip } = selector as { nicIndex: unknown; ip: unknown };
    const valid = validateSelector({ nicIndex }) as { nicIndex: number };
    parseIp(ip, "selector.ip");
    return { nicIndex: valid.nicIndex, ip: ip as string };
  }
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
        `${v.vnicId} mac=${v.macAddress} ip=${v.privateIp ?? "none (IPv6-only)"}` +
        ` subnet=${v.subnetCidr ?? "?"}` +
        `${v.ipv6SubnetCidr ? ` ipv6-subnet=${v.ipv6SubnetCidr}` : ""}` +
        `${v.nicIndex === undefined ? "" : ` nicIndex=${v.nicIndex}`}`,
    )
    .join("; ");
}

function describeSelector(selector: VnicSelector): string {
  return Object.entries(selector)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(" ");
}

function inSubnet(vnic: VnicInfo, ipText: string): boolean {
  const ip = parseIp(ipText, "selector.ip");
  const cidrText = ip.family === 4 ? vnic.subnetCidr : vnic.ipv6SubnetCidr;
  const cidr = cidrText === undefined ? undefined : tryParseCidr(cidrText);
  return cidr !== undefined && cidrContains(cidr, ip);
}

/** The physical NIC of a VNIC: bare metal says; a VM's metadata has none, all its VNICs are on 0. */
function physicalNic(vnic: VnicInfo): number {
  return vnic.nicIndex ?? 0;
}

function matches(vnic: VnicInfo, selector: VnicSelector): boolean {
  if ("vnicId" in selector) return vnic.vnicId === selector.vnicId;
  if ("mac" in selector) return vnic.macAddress === normalizeMac(selector.mac);
  if ("nicIndex" in selector) return physicalNic(vnic) === selector.nicIndex;
  return inSubnet(vnic, selector.ip);
}

/**
 * The VNICs of `snapshot` that `selector` picks (zero, one or several). `{ nicIndex, ip }` keeps,
 * of the VNICs on that NIC, those whose subnet contains the IP when there are several.
 */
export function findVnics(snapshot: MetadataSnapshot, selector: VnicSelector): VnicInfo[] {
  const found = snapshot.vnics.filter((v) => matches(v, selector));
  const ip = "nicIndex" in selector ? selector.ip : undefined;
  if (found.length <= 1 || ip === undefined) return found;
  return found.filter((v) => inSubnet(v, ip));
}

/** Picks exactly one VNIC or throws VNIC_NOT_FOUND / VNIC_AMBIGUOUS listing all VNICs. */
export function pickVnic(snapshot: MetadataSnapshot, selector: VnicSelector): VnicInfo {
  const found = findVnics(snapshot, selector);
  if (found.length === 1) return found[0]!;
  const listing = describeVnics(snapshot.vnics);
  if (found.length === 0) {
    const why =
      "nicIndex" in selector
        ? snapshot.vnics.every((v) => v.nicIndex === undefined)
          ? "this instance's metadata reports no NIC index (a VM: every VNIC is on NIC 0; only bare metal shapes have NIC 1)"
          : "no VNIC is on that physical NIC, or none there has a subnet containing the address"
        : "ip" in selector
          ? "no VNIC's subnet contains that address"
          : "no VNIC has that value";
    throw new OciVnicError(
      "VNIC_NOT_FOUND",
      `no VNIC matches ${describeSelector(selector)} (${why}); this instance has: ${listing}`,
    );
  }
  throw new OciVnicError(
    "VNIC_AMBIGUOUS",
    `${found.length} VNICs match ${describeSelector(selector)}; select by vnicId or mac instead` +
      `${"nicIndex" in selector && selector.ip === undefined ? " (or combine nicIndex with the IP)" : ""}. ` +
      `Matching: ${describeVnics(found)}`,
  );
}
