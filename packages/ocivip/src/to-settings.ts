import { isIP } from "node:net";
import { ConfigurationError, redactUrlCredentials } from "@ocfkit/ocf";
import type { OcivipParameters } from "./params.js";
import type { VnicSelector } from "./ports.js";
import type { AuthSettings, Settings } from "./settings.js";
import { MAX_LABEL_LENGTH } from "./settings.js";

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;
const DEV = /^[^\s/:]{1,15}$/;

function bad(name: string, expected: string, got: unknown): ConfigurationError {
  const shown = JSON.stringify(String(got)).slice(0, 60);
  return new ConfigurationError(`parameter "${name}": expected ${expected}, got ${shown}`);
}

/** Canonical text of an IP (IPv6 compressed, lower case), as `ip -json` prints it. */
export function canonicalIp(ip: string): string {
  return isIP(ip) === 6 ? new URL(`http://[${ip}]/`).hostname.slice(1, -1) : ip;
}

function checkUrl(name: string, value: string | undefined): string | undefined {
  if (value === undefined || value === "") return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw bad(name, "an http:// or https:// URL", redactUrlCredentials(value));
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw bad(name, "an http:// or https:// URL", redactUrlCredentials(value));
  }
  if (url.username !== "" || url.password !== "") {
    // Credentials in a URL would be sent nowhere useful (OCI signs requests) and end up in logs.
    throw bad(name, "a URL without user:password@", redactUrlCredentials(value));
  }
  return value;
}

function selector(params: OcivipParameters, ip: string): VnicSelector {
  const given = (["vnic_id", "mac", "nic_index"] as const).filter(
    (k) => params[k] !== undefined && params[k] !== "",
  );
  if (given.length > 1) {
    throw new ConfigurationError(
      `parameters ${given.join(" and ")}: give at most one way to select the VNIC`,
    );
  }
  if (params.vnic_id) {
    if (!/^ocid1\.vnic\.[a-z0-9._-]+$/i.test(params.vnic_id)) {
      throw bad("vnic_id", "a VNIC OCID (ocid1.vnic....)", params.vnic_id);
    }
    return { vnicId: params.vnic_id };
  }
  if (params.mac) {
    if (!MAC.test(params.mac)) throw bad("mac", "a MAC address like 02:00:17:00:00:11", params.mac);
    return { mac: params.mac.toLowerCase() };
  }
  if (params.nic_index !== undefined) {
    if (params.nic_index < 0) throw bad("nic_index", "an integer >= 0", params.nic_index);
    // OCI's nicIndex is a physical NIC several VNICs can share: the IP's subnet picks among them.
    return { nicIndex: params.nic_index, ip };
  }
  return { ip };
}

function auth(params: OcivipParameters): AuthSettings {
  switch (params.auth) {
    case "config_file":
      return {
        kind: "config-file",
        configFile: params.config_file || undefined,
        profile: params.profile,
      };
    case "resource_principal":
      return { kind: "resource-principal" };
    default:
      return { kind: "instance-principal" };
  }
}

/** Checks the parameters together and normalises them; every error names the parameter. */
export function toSettings(params: OcivipParameters): Settings {
  if (params.secondary_private_ip.includes("%")) {
    // A zone (fe80::1%ens3) names a link, not an address OCI can assign to a VNIC.
    throw bad(
      "secondary_private_ip",
      "an IPv4 or IPv6 address without a zone (%interface): the VNIC's private IP",
      params.secondary_private_ip,
    );
  }
  const family = isIP(params.secondary_private_ip.trim());
  if (family === 0) {
    throw bad("secondary_private_ip", "an IPv4 or IPv6 address", params.secondary_private_ip);
  }
  const ip = canonicalIp(params.secondary_private_ip.trim());
  const maxPrefix = family === 4 ? 32 : 128;
  if (
    params.cidr_netmask !== undefined &&
    (params.cidr_netmask < 1 || params.cidr_netmask > maxPrefix)
  ) {
    throw bad(
      "cidr_netmask",
      `a prefix length from 1 to ${maxPrefix} for IPv${family}`,
      params.cidr_netmask,
    );
  }
  const suffix = params.interface_alias.trim();
  if (suffix !== "" && !/^[A-Za-z0-9_.-]{1,13}$/.test(suffix)) {
    throw bad(
      "interface_alias",
      `a label suffix of letters or digits (the label is <interface>:<suffix>, at most ${MAX_LABEL_LENGTH} characters)`,
      suffix,
    );
  }
  if (params.interface !== undefined && params.interface !== "" && !DEV.test(params.interface)) {
    throw bad(
      "interface",
      "a network device name (1-15 characters, no spaces, '/' or ':')",
      params.interface,
    );
  }
  if (params.announce_count < 0 || params.announce_count > 100) {
    throw bad("announce_count", "an integer from 0 to 100", params.announce_count);
  }
  if (params.cloud_check_interval < 0) {
    throw bad(
      "cloud_check_interval",
      "seconds >= 0 (0 = every monitor)",
      params.cloud_check_interval,
    );
  }
  if (params.profile.trim() === "") throw bad("profile", "a profile name", params.profile);
  return {
    ip,
    family: family as 4 | 6,
    prefixLength: params.cidr_netmask,
    labelSuffix: suffix === "" || suffix === "none" ? undefined : suffix,
    dev: params.interface || undefined,
    vnic: selector(params, ip),
    auth: auth(params),
    region: params.region || undefined,
    endpoints: {
      metadata: checkUrl("metadata_endpoint", params.metadata_endpoint),
      federation: checkUrl("federation_endpoint", params.federation_endpoint),
      api: checkUrl("api_endpoint", params.api_endpoint),
    },
    announceCount: params.announce_count,
    cloudCheckIntervalSeconds: params.cloud_check_interval,
    releaseOnStop: params.release_on_stop,
  };
}
