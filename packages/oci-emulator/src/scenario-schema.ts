import { z } from "zod";
import { latencySchema } from "./latency.js";

const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, {
  message: "must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit",
});
const ocid = z.string().regex(/^ocid1\.[a-z0-9]+\.[a-z0-9-]+\.[a-z0-9-]*\.[A-Za-z0-9._-]+$/, {
  message: "must be an OCID such as ocid1.vnic.oc1.iad.aaaa...",
});
const mac = z.string().regex(/^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$/, {
  message: "must be a MAC address such as 02:00:17:00:00:11",
});
const ipv4Cidr = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, {
  message: "must be an IPv4 CIDR such as 192.0.2.0/24",
});
const ipv6Cidr = z.string().regex(/^[0-9A-Fa-f:]+\/\d{1,3}$/, {
  message: "must be an IPv6 prefix such as 2001:db8:0:1::/64",
});
const ipv4 = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}$/, {
  message: "must be an IPv4 address such as 192.0.2.11",
});

/**
 * A VNIC in a scenario: its subnet, MAC, primary IPv4 (absent on an IPv6-only VNIC, whose subnet
 * has no IPv4 block) and optional IPv6 addresses. `nicIndex` is the physical NIC of a bare-metal
 * instance (several VNICs share one); VMs have none (OCI docs: "VNIC attachment", nicIndex).
 * `vlanTag` is what the metadata service reports (non-zero on VMs; a stable value is derived when
 * omitted). `macAddress` is reported as written: VMs report upper case, bare metal lower case.
 */
export const scenarioVnicSchema = z.strictObject({
  id: ocid.optional(),
  subnet: name.describe("name of a subnet in `subnets`"),
  macAddress: mac,
  privateIp: ipv4.optional(),
  nicIndex: z.number().int().min(0).max(1).optional(),
  vlanTag: z.number().int().min(0).max(4094).optional(),
  hostnameLabel: z.string().optional(),
  ipv6Addresses: z.array(z.string()).optional(),
  secondaryPrivateIps: z.array(ipv4).optional(),
});

/** A compute instance with its VNICs (the first one is the primary VNIC). */
export const scenarioInstanceSchema = z.strictObject({
  name,
  id: ocid.optional(),
  compartment: name,
  availabilityDomain: z.string().optional(),
  faultDomain: z.string().optional(),
  shape: z.string().optional(),
  hostname: z.string().optional(),
  vnics: z.array(scenarioVnicSchema).min(1, { message: "an instance needs at least one VNIC" }),
});

/** An API signing-key user; without `publicKeyPem` the emulator generates the key pair. */
export const scenarioUserSchema = z.strictObject({
  name,
  id: ocid.optional(),
  fingerprint: z.string().optional(),
  publicKeyPem: z
    .string()
    .includes("PUBLIC KEY", { message: "must be a PEM public key" })
    .optional(),
});

/** An IAM grant: `principal` is `user:<name>`, `instance:<name>` or `dynamic-group:<name>`. */
export const scenarioGrantSchema = z.strictObject({
  principal: z.string().regex(/^(user|instance|dynamic-group):[A-Za-z0-9._*-]+$/, {
    message: "must be user:<name>, instance:<name> or dynamic-group:<name>",
  }),
  compartment: name,
  verb: z.enum(["read", "manage"]).default("manage"),
});

/** The whole scenario file (JSON or YAML). */
export const scenarioSchema = z.strictObject({
  region: z
    .string()
    .regex(/^[a-z]+-[a-z]+-\d+$/, { message: "must be a region id such as us-ashburn-1" }),
  tenancy: z.strictObject({ name, id: ocid.optional() }),
  compartments: z.array(z.strictObject({ name, id: ocid.optional() })).min(1),
  vcns: z
    .array(
      z.strictObject({
        name,
        id: ocid.optional(),
        compartment: name,
        cidrBlocks: z.array(ipv4Cidr).min(1),
        ipv6CidrBlocks: z.array(ipv6Cidr).optional(),
      }),
    )
    .min(1),
  subnets: z
    .array(
      z.strictObject({
        name,
        id: ocid.optional(),
        vcn: name,
        compartment: name,
        cidrBlock: ipv4Cidr.optional(),
        secondaryCidrBlocks: z.array(ipv4Cidr).optional(),
        ipv6CidrBlock: ipv6Cidr.optional(),
        dnsLabel: z.string().optional(),
        virtualRouterMac: mac.optional(),
      }),
    )
    .min(1),
  instances: z.array(scenarioInstanceSchema),
  users: z.array(scenarioUserSchema).default([]),
  dynamicGroups: z.array(z.strictObject({ name, instances: z.array(name) })).default([]),
  grants: z.array(scenarioGrantSchema).default([]),
  limits: z
    .strictObject({
      secondaryIpv4PerVnic: z.number().int().min(0).max(1024).default(31),
      ipv6PerVnic: z.number().int().min(0).max(1024).default(32),
    })
    .default({ secondaryIpv4PerVnic: 31, ipv6PerVnic: 32 }),
  /** How long a deleted IPv6 stays TERMINATING before it is gone (0: at once). */
  ipv6TerminatingMs: z.number().int().min(0).max(600_000).default(0),
  /** Public IPs (TEST-NET-3 addresses stand in for Oracle's pools), optionally on a private IP. */
  publicIps: z
    .array(
      z.strictObject({
        name,
        compartment: name,
        lifetime: z.enum(["RESERVED", "EPHEMERAL"]).default("RESERVED"),
        ipAddress: ipv4,
        privateIp: ipv4.optional().describe("a primary or secondary private IP of the scenario"),
      }),
    )
    .default([]),
  /** Route tables of a VCN; a rule may target a private IP of the scenario. */
  routeTables: z
    .array(
      z.strictObject({
        name,
        vcn: name,
        compartment: name,
        rules: z
          .array(z.strictObject({ destination: z.string(), targetPrivateIp: ipv4 }))
          .default([]),
      }),
    )
    .default([]),
  /** How long answers take: "zero" (default), "realistic" or a custom profile (see latency.ts). */
  latency: latencySchema.default("zero"),
  sessionTokenTtlSeconds: z.number().int().min(1).max(86400).default(1200),
  maxClockSkewSeconds: z.number().int().min(1).max(86400).default(300),
  maxBodyBytes: z
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
});

/** A scenario as written (ids optional, defaults not yet applied). */
export type Scenario = z.input<typeof scenarioSchema>;
/** A scenario after validation, with defaults applied. */
export type ParsedScenario = z.output<typeof scenarioSchema>;
