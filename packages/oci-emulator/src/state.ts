import { z } from "zod";
import { bigIntToIpv6, ipv6ToBigInt, numberToIpv4, parseIpv6Cidr } from "./ip.js";
import { publicIpRecordSchema, routeTableRecordSchema } from "./public-ips.js";
import { type ResolvedScenario, stableOcid, subnetIpv4Blocks } from "./scenario.js";

const tags = {
  freeformTags: z.record(z.string(), z.string()),
  definedTags: z.record(z.string(), z.unknown()),
};

/** A private IPv4 as the VirtualNetwork API returns it (`PrivateIp`). */
export const privateIpRecordSchema = z.looseObject({
  id: z.string(),
  ipAddress: z.string(),
  subnetId: z.string(),
  vnicId: z.string().optional(),
  isPrimary: z.boolean(),
  hostnameLabel: z.string().optional(),
  displayName: z.string(),
  compartmentId: z.string(),
  availabilityDomain: z.string(),
  timeCreated: z.string(),
  ipState: z.enum(["ASSIGNED", "AVAILABLE"]),
  lifetime: z.enum(["EPHEMERAL", "RESERVED"]),
  ...tags,
});
/** A private IPv4 record. */
export type PrivateIpRecord = z.infer<typeof privateIpRecordSchema>;

/** An IPv6 as the VirtualNetwork API returns it (`Ipv6`). */
export const ipv6RecordSchema = z.looseObject({
  id: z.string(),
  ipAddress: z.string(),
  subnetId: z.string(),
  vnicId: z.string().optional(),
  compartmentId: z.string(),
  displayName: z.string(),
  lifecycleState: z.enum(["PROVISIONING", "AVAILABLE", "TERMINATING", "TERMINATED"]),
  ipState: z.enum(["ASSIGNED", "AVAILABLE"]),
  lifetime: z.enum(["EPHEMERAL", "RESERVED"]),
  timeCreated: z.string(),
  ...tags,
});
/** An IPv6 record. */
export type Ipv6Record = z.infer<typeof ipv6RecordSchema>;

/** A VNIC as the API returns it (`Vnic`); `ipv6Addresses` is derived from the IPv6 records. */
export const vnicRecordSchema = z.looseObject({
  id: z.string(),
  availabilityDomain: z.string(),
  compartmentId: z.string(),
  displayName: z.string(),
  hostnameLabel: z.string().optional(),
  isPrimary: z.boolean(),
  lifecycleState: z.enum(["PROVISIONING", "AVAILABLE", "TERMINATING", "TERMINATED"]),
  macAddress: z.string(),
  privateIp: z.string().optional(),
  skipSourceDestCheck: z.boolean(),
  subnetId: z.string(),
  timeCreated: z.string(),
  nsgIds: z.array(z.string()),
  ...tags,
});
/** A VNIC record. */
export type VnicRecord = z.infer<typeof vnicRecordSchema>;

/** A subnet as the API returns it (`Subnet`). */
export const subnetRecordSchema = z.looseObject({
  id: z.string(),
  cidrBlock: z.string().optional(),
  ipv4CidrBlocks: z.array(z.string()),
  ipv6CidrBlock: z.string().optional(),
  ipv6CidrBlocks: z.array(z.string()),
  compartmentId: z.string(),
  vcnId: z.string(),
  displayName: z.string(),
  dnsLabel: z.string().optional(),
  lifecycleState: z.string(),
  virtualRouterIp: z.string().optional(),
  virtualRouterMac: z.string(),
  prohibitPublicIpOnVnic: z.boolean(),
  timeCreated: z.string(),
});
/** A subnet record. */
export type SubnetRecord = z.infer<typeof subnetRecordSchema>;

/** A VNIC attachment as the Compute API returns it (`VnicAttachment`). */
export const vnicAttachmentRecordSchema = z.looseObject({
  id: z.string(),
  availabilityDomain: z.string(),
  compartmentId: z.string(),
  displayName: z.string(),
  instanceId: z.string(),
  lifecycleState: z.string(),
  nicIndex: z.number(),
  subnetId: z.string(),
  vnicId: z.string(),
  timeCreated: z.string(),
});
/** A VNIC attachment record. */
export type VnicAttachmentRecord = z.infer<typeof vnicAttachmentRecordSchema>;

/** Everything the emulator's API can change, as plain JSON (what `/_emulator/state` shows). */
export const emulatorStateSchema = z.strictObject({
  privateIps: z.array(privateIpRecordSchema),
  ipv6s: z.array(ipv6RecordSchema),
  vnics: z.array(vnicRecordSchema),
  subnets: z.array(subnetRecordSchema),
  vnicAttachments: z.array(vnicAttachmentRecordSchema),
  publicIps: z.array(publicIpRecordSchema).default([]),
  routeTables: z.array(routeTableRecordSchema).default([]),
  /** When each TERMINATING IPv6 (by OCID) disappears, in emulator milliseconds. */
  terminating: z.record(z.string(), z.number()).default({}),
});
/** The emulator's mutable state. */
export type EmulatorState = z.infer<typeof emulatorStateSchema>;

const noTags = (): {
  freeformTags: Record<string, string>;
  definedTags: Record<string, unknown>;
} => ({
  freeformTags: {},
  definedTags: {},
});

/** Builds the state a scenario starts from (primary and scenario-listed secondary IPs, IPv6s). */
export function initialState(s: ResolvedScenario, now: Date): EmulatorState {
  const created = now.toISOString();
  const compartmentId = (name: string): string => s.compartments.find((c) => c.name === name)!.id;
  const state: EmulatorState = {
    privateIps: [],
    ipv6s: [],
    vnics: [],
    subnets: [],
    vnicAttachments: [],
    publicIps: [],
    routeTables: [],
    terminating: {},
  };
  for (const n of s.subnets) {
    const blocks = subnetIpv4Blocks(n);
    const v6 = n.ipv6CidrBlock ? parseIpv6Cidr(n.ipv6CidrBlock) : undefined;
    const vcnName = s.vcns.find((v) => v.name === n.vcn)!;
    const texts = blocks.map((b) => `${numberToIpv4(b.network)}/${b.prefixLength}`);
    state.subnets.push({
      id: n.id,
      // An IPv6-only subnet has no IPv4 block (and no IPv4 virtual router).
      ...(texts[0] ? { cidrBlock: texts[0] } : {}),
      ipv4CidrBlocks: texts,
      ...(v6 ? { ipv6CidrBlock: `${bigIntToIpv6(v6.network)}/${v6.prefixLength}` } : {}),
      ipv6CidrBlocks: v6 ? [`${bigIntToIpv6(v6.network)}/${v6.prefixLength}`] : [],
      compartmentId: compartmentId(n.compartment),
      vcnId: vcnName.id,
      displayName: n.name,
      ...(n.dnsLabel ? { dnsLabel: n.dnsLabel } : {}),
      lifecycleState: "AVAILABLE",
      ...(blocks[0] ? { virtualRouterIp: numberToIpv4(blocks[0].network + 1) } : {}),
      virtualRouterMac: n.virtualRouterMac ?? "00:00:17:00:00:01",
      prohibitPublicIpOnVnic: true,
      timeCreated: created,
    });
  }
  for (const inst of s.instances) {
    const compartment = compartmentId(inst.compartment);
    inst.vnics.forEach((v, index) => {
      const subnetId = s.subnets.find((n) => n.name === v.subnet)!.id;
      const common = {
        compartmentId: compartment,
        availabilityDomain: inst.availabilityDomain,
        timeCreated: created,
      };
      state.vnics.push({
        id: v.id,
        ...common,
        displayName: `${inst.name}-vnic${index}`,
        ...(v.hostnameLabel ? { hostnameLabel: v.hostnameLabel } : {}),
        isPrimary: index === 0,
        lifecycleState: "AVAILABLE",
        macAddress: v.macAddress.toUpperCase(),
        ...(v.privateIp ? { privateIp: v.privateIp } : {}),
        skipSourceDestCheck: false,
        subnetId,
        nsgIds: [],
        ...noTags(),
      });
      state.vnicAttachments.push({
        id: stableOcid("vnicattachment", s.region, `${inst.name}/${index}`),
        ...common,
        displayName: `${inst.name}-attachment${index}`,
        instanceId: inst.id,
        lifecycleState: "ATTACHED",
        // VMs report 0 here; only bare metal has other physical NICs.
        nicIndex: v.nicIndex ?? 0,
        subnetId,
        vnicId: v.id,
      });
      const ips = v.privateIp ? [v.privateIp, ...(v.secondaryPrivateIps ?? [])] : [];
      ips.forEach((ip, k) => {
        state.privateIps.push({
          id: stableOcid("privateip", s.region, `${inst.name}/${index}/${ip}`),
          ipAddress: ip,
          subnetId,
          vnicId: v.id,
          isPrimary: k === 0,
          ...(k === 0 && v.hostnameLabel ? { hostnameLabel: v.hostnameLabel } : {}),
          displayName: k === 0 ? `${inst.name} primary` : ip,
          ...common,
          ipState: "ASSIGNED",
          lifetime: "EPHEMERAL",
          ...noTags(),
        });
      });
      for (const ip of v.ipv6Addresses ?? []) {
        const canonical = bigIntToIpv6(ipv6ToBigInt(ip)!);
        state.ipv6s.push({
          id: stableOcid("ipv6", s.region, `${inst.name}/${index}/${canonical}`),
          ipAddress: canonical,
          subnetId,
          vnicId: v.id,
          compartmentId: compartment,
          displayName: canonical,
          lifecycleState: "AVAILABLE",
          ipState: "ASSIGNED",
          lifetime: "EPHEMERAL",
          timeCreated: created,
          ...noTags(),
        });
      }
    });
  }
  const privateIpId = (ip: string): string | undefined =>
    state.privateIps.find((p) => p.ipAddress === ip)?.id;
  for (const p of s.publicIps) {
    const bound = p.privateIp === undefined ? undefined : privateIpId(p.privateIp);
    state.publicIps.push({
      id: stableOcid("publicip", s.region, p.name),
      ipAddress: p.ipAddress,
      compartmentId: compartmentId(p.compartment),
      displayName: p.name,
      lifetime: p.lifetime,
      scope: "REGION",
      lifecycleState: bound ? "ASSIGNED" : "AVAILABLE",
      ...(bound
        ? { privateIpId: bound, assignedEntityId: bound, assignedEntityType: "PRIVATE_IP" as const }
        : {}),
      timeCreated: created,
      ...noTags(),
    });
  }
  for (const t of s.routeTables) {
    state.routeTables.push({
      id: stableOcid("routetable", s.region, t.name),
      compartmentId: compartmentId(t.compartment),
      vcnId: s.vcns.find((v) => v.name === t.vcn)!.id,
      displayName: t.name,
      lifecycleState: "AVAILABLE",
      routeRules: t.rules.map((r) => ({
        destination: r.destination,
        destinationType: "CIDR_BLOCK" as const,
        networkEntityId: privateIpId(r.targetPrivateIp)!,
        routeType: "STATIC" as const,
      })),
      timeCreated: created,
      ...noTags(),
    });
  }
  return state;
}

/**
 * Holds the live state and what readers see: with a consistency delay, each write becomes
 * visible to reads only after the delay (as OCI's eventually consistent control plane).
 */
export interface StateStore {
  /** The authoritative state; writes validate against it. */
  live: EmulatorState;
  /** What a read at `now` sees. */
  read(now: number): EmulatorState;
  /** Applies a write to the live state and schedules its visibility. */
  mutate<T>(now: number, write: (state: EmulatorState) => T): T;
  setDelay(ms: number): void;
  replace(state: EmulatorState): void;
}

/** Creates a {@link StateStore} around an initial state. */
export function createStateStore(initial: EmulatorState, onChange: () => void): StateStore {
  let delay = 0;
  let visible = initial;
  const pending: { at: number; state: EmulatorState }[] = [];
  const store: StateStore = {
    live: initial,
    read(now) {
      while (pending.length > 0 && pending[0]!.at <= now) visible = pending.shift()!.state;
      return pending.length > 0 ? visible : store.live;
    },
    mutate(now, write) {
      if (delay > 0 && pending.length === 0) visible = structuredClone(store.live);
      const result = write(store.live);
      if (delay > 0) pending.push({ at: now + delay, state: structuredClone(store.live) });
      onChange();
      return result;
    },
    setDelay(ms) {
      delay = ms;
      if (ms === 0) pending.length = 0;
    },
    replace(state) {
      store.live = state;
      pending.length = 0;
      onChange();
    },
  };
  return store;
}
