// The documents oci-vnic keeps in its cache directory, checked field by field on every read:
// a file that does not parse is deleted and rebuilt from the service. Loaded lazily, with zod/mini.
import * as z from "zod/mini";

const text = () => z.string().check(z.minLength(1));
const maybe = () => z.optional(z.string());
const epochMs = () => z.number().check(z.int(), z.minimum(0));

const instanceInfoSchema = z.object({
  id: text(),
  compartmentId: text(),
  region: maybe(),
  availabilityDomain: maybe(),
  displayName: maybe(),
});

const vnicInfoSchema = z.object({
  vnicId: text(),
  macAddress: z.string().check(z.regex(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/)),
  // Absent on IPv6-only VNICs (real metadata has no privateIp there).
  privateIp: maybe(),
  // Only bare-metal instances report a physical NIC index.
  nicIndex: z.optional(z.number().check(z.int(), z.minimum(0))),
  position: z.number().check(z.int(), z.minimum(0)),
  isPrimaryVnic: z.boolean(),
  subnetCidr: maybe(),
  ipv6SubnetCidr: maybe(),
  ipv6Addresses: z.array(z.string()),
  vlanTag: z.optional(z.number().check(z.int())),
  virtualRouterIp: maybe(),
});

/** `oci-vnic-metadata.json`: this boot's metadata snapshot (at least one VNIC). */
export const metadataFileSchema = z.object({
  version: z.literal(1),
  bootId: text(),
  metadataUrl: text(),
  snapshot: z.object({
    instance: instanceInfoSchema,
    vnics: z.array(vnicInfoSchema).check(z.minLength(1)),
  }),
});

// Loose: fields added in later versions are kept, not stripped.
const vnicFactsSchema = z.looseObject({
  vnicId: text(),
  subnetId: text(),
  compartmentId: maybe(),
  macAddress: maybe(),
});

const subnetFactsSchema = z.looseObject({
  subnetId: text(),
  ipv4Cidrs: z.array(z.string()),
  ipv6Cidrs: z.array(z.string()),
  prefixLength: z.optional(z.number()),
  ipv6PrefixLength: z.optional(z.number()),
  virtualRouterIp: maybe(),
});

/** `oci-vnic-facts.json`: VNIC → subnet and subnet facts from the API, per boot and endpoint. */
export const factsFileSchema = z.object({
  version: z.literal(1),
  bootId: text(),
  endpoint: text(),
  vnics: z.record(z.string(), vnicFactsSchema),
  subnets: z.record(z.string(), subnetFactsSchema),
});

/** `oci-vnic-session.json`: the instance-principal session token and its private key. */
export const sessionFileSchema = z.object({
  version: z.literal(1),
  metadataUrl: text(),
  federationEndpoint: text(),
  token: text(),
  privateKeyPem: z.string().check(z.includes("PRIVATE KEY")),
  expiresAt: epochMs(),
  refreshAt: epochMs(),
});
