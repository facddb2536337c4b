import { type ApiContext, callApi } from "./api.js";
import type { CacheStore } from "./cache-store.js";
import type { Deadline } from "./deadline.js";
import { OciVnicError } from "./errors.js";
import { tryParseCidr } from "./ip.js";

/** File in the cache directory with VNIC → subnet and subnet facts (immutable, kept per boot). */
export const factsFileName = "oci-vnic-facts.json";

/** What the API says about a VNIC that the metadata service does not (its subnet). */
export interface VnicFacts {
  /** VNIC OCID. */
  vnicId: string;
  /** Subnet OCID. */
  subnetId: string;
  /** Compartment of the VNIC. */
  compartmentId: string | undefined;
  /** MAC address as the API reports it (lower case), to check a metadata snapshot against. */
  macAddress?: string | undefined;
}

/** Subnet facts for the host side: prefix lengths, so nobody guesses /24. */
export interface SubnetFacts {
  /** Subnet OCID. */
  subnetId: string;
  /** IPv4 CIDR blocks (the first is the subnet's `cidrBlock`). */
  ipv4Cidrs: string[];
  /** IPv6 CIDR blocks, empty when the subnet has no IPv6. */
  ipv6Cidrs: string[];
  /** Prefix length of the first IPv4 block, e.g. 24. */
  prefixLength: number | undefined;
  /** Prefix length of the first IPv6 block, e.g. 64. */
  ipv6PrefixLength: number | undefined;
  /** Default gateway (the subnet's virtual router IP), when known. */
  virtualRouterIp: string | undefined;
}

interface FactsFile {
  version: 1;
  bootId: string;
  endpoint: string;
  vnics: Record<string, VnicFacts>;
  subnets: Record<string, SubnetFacts>;
}

/** Remembers VNIC and subnet facts in memory and in the cache directory. */
export interface FactsStore {
  vnic(deadline: Deadline, vnicId: string): Promise<VnicFacts>;
  subnet(deadline: Deadline, subnetId: string): Promise<SubnetFacts>;
}

/** Turns a Subnet model into {@link SubnetFacts}. */
export function toSubnetFacts(subnet: {
  id: string;
  cidrBlock?: string;
  ipv4CidrBlocks?: string[];
  ipv6CidrBlock?: string;
  ipv6CidrBlocks?: string[];
  virtualRouterIp?: string;
}): SubnetFacts {
  const unique = (list: (string | undefined)[]): string[] => [
    ...new Set(list.filter((c): c is string => typeof c === "string" && c.length > 0)),
  ];
  const ipv4Cidrs = unique([subnet.cidrBlock, ...(subnet.ipv4CidrBlocks ?? [])]);
  const ipv6Cidrs = unique([subnet.ipv6CidrBlock, ...(subnet.ipv6CidrBlocks ?? [])]);
  return {
    subnetId: subnet.id,
    ipv4Cidrs,
    ipv6Cidrs,
    prefixLength: ipv4Cidrs[0] ? tryParseCidr(ipv4Cidrs[0])?.prefixLength : undefined,
    ipv6PrefixLength: ipv6Cidrs[0] ? tryParseCidr(ipv6Cidrs[0])?.prefixLength : undefined,
    virtualRouterIp: subnet.virtualRouterIp,
  };
}

/** Creates a {@link FactsStore}; loads the cache file on first use. */
export function createFactsStore(
  api: ApiContext,
  cache: CacheStore,
  endpoint: (deadline: Deadline) => Promise<string>,
): FactsStore {
  let loaded: Promise<FactsFile> | undefined;
  const load = (deadline: Deadline): Promise<FactsFile> => {
    loaded ??= (async () => {
      const { factsFileSchema } = await import("./cache-schema.js");
      const [bootId, ep, f] = await Promise.all([
        cache.bootId(),
        endpoint(deadline),
        cache.read(factsFileName, factsFileSchema),
      ]);
      if (f && f.bootId === bootId && f.endpoint === ep) return f as FactsFile;
      return { version: 1, bootId, endpoint: ep, vnics: {}, subnets: {} };
    })();
    loaded.catch(() => {
      loaded = undefined;
    });
    return loaded;
  };
  return {
    async vnic(deadline, vnicId) {
      const file = await load(deadline);
      const known = file.vnics[vnicId];
      if (known) return known;
      const facts = await callApi(api, deadline, {
        operation: "GetVnic",
        method: "GET",
        path: "/vnics/{vnicId}",
        pathParams: { "{vnicId}": vnicId },
        map: (body): VnicFacts => {
          const vnic = body as {
            subnetId?: unknown;
            compartmentId?: unknown;
            macAddress?: unknown;
          } | null;
          if (typeof vnic?.subnetId !== "string") {
            throw new OciVnicError("UNEXPECTED", `GetVnic ${vnicId} returned no subnetId`, {
              operation: "GetVnic",
            });
          }
          const compartmentId =
            typeof vnic.compartmentId === "string" ? vnic.compartmentId : undefined;
          const macAddress =
            typeof vnic.macAddress === "string" ? vnic.macAddress.toLowerCase() : undefined;
          return { vnicId, subnetId: vnic.subnetId, compartmentId, macAddress };
        },
      });
      file.vnics[vnicId] = facts;
      await cache.write(factsFileName, file);
      return facts;
    },
    async subnet(deadline, subnetId) {
      const file = await load(deadline);
      const known = file.subnets[subnetId];
      if (known) return known;
      const facts = await callApi(api, deadline, {
        operation: "GetSubnet",
        method: "GET",
        path: "/subnets/{subnetId}",
        pathParams: { "{subnetId}": subnetId },
        map: (body) => {
          const subnet = body as Parameters<typeof toSubnetFacts>[0] | null;
          if (typeof subnet?.id !== "string") {
            throw new OciVnicError("UNEXPECTED", `GetSubnet ${subnetId} returned no id`, {
              operation: "GetSubnet",
            });
          }
          return toSubnetFacts(subnet);
        },
      });
      file.subnets[subnetId] = facts;
      await cache.write(factsFileName, file);
      return facts;
    },
  };
}
