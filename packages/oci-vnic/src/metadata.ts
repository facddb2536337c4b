import type { ImdsInstance, ImdsVnic } from "./imds-schema.js";
import { tryParseCidr } from "./ip.js";

/** This instance, as the metadata service describes it. */
export interface InstanceInfo {
  /** Instance OCID. */
  id: string;
  /** Compartment OCID of the instance. */
  compartmentId: string;
  /** Region identifier such as `us-ashburn-1`, when known. */
  region: string | undefined;
  /** Availability domain, when known. */
  availabilityDomain: string | undefined;
  /** Display name, when known. */
  displayName: string | undefined;
}

/** One VNIC attached to this instance, from the metadata service. */
export interface VnicInfo {
  /** VNIC OCID. */
  vnicId: string;
  /** MAC address, lower case, colon separated. */
  macAddress: string;
  /** Primary private IPv4 of the VNIC; undefined on an IPv6-only VNIC. */
  privateIp: string | undefined;
  /**
   * Physical NIC index, as bare metal reports it (several VNICs share one); undefined on VMs,
   * whose metadata has none (all their VNICs are on NIC 0).
   */
  nicIndex: number | undefined;
  /** Position in the metadata list (0 = the instance's primary VNIC). */
  position: number;
  /** True for the instance's primary VNIC. */
  isPrimaryVnic: boolean;
  /**
   * IPv4 CIDR of the VNIC's subnet, when the metadata service gives one (the subnet's first block
   * only; undefined for an IPv6-only VNIC, where OCI writes "<null>").
   */
  subnetCidr: string | undefined;
  /** IPv6 CIDR of the VNIC's subnet, when it has one. */
  ipv6SubnetCidr: string | undefined;
  /** IPv6 addresses assigned to the VNIC. */
  ipv6Addresses: string[];
  /** VLAN tag (bare metal secondary VNICs), when given. */
  vlanTag: number | undefined;
  /** Default gateway of the subnet, when given. */
  virtualRouterIp: string | undefined;
}

/** What the metadata service told us about this instance; cached per boot. */
export interface MetadataSnapshot {
  /** This instance. */
  instance: InstanceInfo;
  /** All its VNICs, the primary first. */
  vnics: VnicInfo[];
}

/** Normalises a MAC address to lower case with colons; undefined if it is not one. */
export function normalizeMac(mac: string): string | undefined {
  const hex = mac.trim().toLowerCase().replace(/[-:.]/g, "");
  if (!/^[0-9a-f]{12}$/.test(hex)) return undefined;
  return hex.match(/../g)!.join(":");
}

/** A CIDR as the metadata service wrote it, or undefined for "<null>", "" and other non-CIDRs. */
function cidrOrUndefined(text: string | undefined): string | undefined {
  return text !== undefined && tryParseCidr(text) !== undefined ? text : undefined;
}

/** Turns parsed metadata documents into a {@link MetadataSnapshot}. */
export function toSnapshot(instance: ImdsInstance, vnics: ImdsVnic[]): MetadataSnapshot {
  return {
    instance: {
      id: instance.id,
      compartmentId: instance.compartmentId,
      region: instance.canonicalRegionName ?? instance.region,
      availabilityDomain: instance.availabilityDomain,
      displayName: instance.displayName,
    },
    vnics: vnics.map((v, position) => ({
      vnicId: v.vnicId,
      macAddress: normalizeMac(v.macAddr) ?? v.macAddr.toLowerCase(),
      privateIp: v.privateIp,
      nicIndex: v.nicIndex,
      position,
      isPrimaryVnic: position === 0,
      subnetCidr: cidrOrUndefined(v.subnetCidrBlock),
      ipv6SubnetCidr: cidrOrUndefined(v.ipv6SubnetCidrBlock),
      ipv6Addresses: v.ipv6Addresses ?? [],
      vlanTag: v.vlanTag,
      virtualRouterIp: v.virtualRouterIp,
    })),
  };
}
