import type { Assignment, AssignResult, ReleaseResult } from "./assignment.js";
import { createRequestCounters, type RequestCounts } from "./counters.js";
import type { CallOptions } from "./deadline.js";
import type { Engine } from "./engine.js";
import type { SubnetFacts } from "./facts.js";
import type { InstanceInfo, VnicInfo } from "./metadata.js";
import { type OciVnicOptions, resolveOptions } from "./options.js";
import type { VnicSelector } from "./select.js";

/** A VNIC to act on: its OCID, or anything carrying `vnicId` (such as a {@link VnicInfo}). */
export type VnicRef =
  | string
  | { vnicId: string; subnetCidr?: string | undefined; ipv6SubnetCidr?: string | undefined };

/** Options of `getAssignment`: where to look when the IP is not in one of our VNICs' subnets. */
export interface AssignmentQueryOptions extends CallOptions {
  /** Subnet to search (default: the subnet of our VNIC whose subnet contains the IP). */
  subnetId?: string | undefined;
  /** Or a VNIC whose subnet to search. */
  vnic?: VnicRef | undefined;
}

/** What `prepare` made ready. */
export interface Prepared {
  /** Our VNIC for the IP (as `selectVnic({ ip })` or the given `vnic` selects it). */
  vnic: VnicInfo;
  /** Its subnet's facts. */
  subnet: SubnetFacts;
  /**
   * Until when (epoch ms) the credentials stay usable without a new federation: the
   * instance-principal session's renewal time; undefined for credentials with no known limit.
   */
  credentialsValidUntil: number | undefined;
}

/** The endpoints requests go to, after defaults were applied. */
export interface ResolvedEndpoints {
  metadata: string;
  federation: string;
  api: string;
  region: string | undefined;
}

/** The client `createOciVnic` returns; every method takes `{ signal, deadline, timeoutMs }`. */
export interface OciVnic {
  /** Endpoints set explicitly or already resolved; `resolveEndpoints` fills in the defaults. */
  readonly endpoints: { metadata: string; federation: string | undefined; api: string | undefined };
  /** Applies the real-OCI defaults (may read the region from the metadata service). */
  resolveEndpoints(options?: CallOptions): Promise<ResolvedEndpoints>;
  /** This instance (metadata service, cached per boot). */
  instance(options?: CallOptions): Promise<InstanceInfo>;
  /** All VNICs of this instance, the primary first (cached per boot; `refresh` re-reads). */
  listVnics(options?: CallOptions & { refresh?: boolean }): Promise<VnicInfo[]>;
  /** One VNIC by `{ ip }` (its subnet contains the IP), `{ vnicId }`, `{ mac }` or `{ nicIndex }`. */
  selectVnic(selector: VnicSelector, options?: CallOptions): Promise<VnicInfo>;
  /** Who holds `ip` (exact match), or undefined when nobody does. One request when warm. */
  getAssignment(ip: string, options?: AssignmentQueryOptions): Promise<Assignment | undefined>;
  /** Puts `ip` on `vnic` (create or move), confirmed visible; refuses primary IPs; idempotent. */
  assign(ip: string, vnic: VnicRef, options?: CallOptions): Promise<AssignResult>;
  /** Deletes `ip` only while it is on `vnic`; leaves another VNIC's IP alone. */
  release(ip: string, vnic: VnicRef, options?: CallOptions): Promise<ReleaseResult>;
  /** The subnet of `vnic`: CIDR blocks and prefix lengths (IPv4, IPv6). */
  subnetFacts(vnic: VnicRef, options?: CallOptions): Promise<SubnetFacts>;
  /**
   * Makes ready everything a later `getAssignment`, `assign` or `release` of `ip` needs, and
   * changes nothing: the metadata snapshot, the VNIC's subnet facts and the credentials (an
   * instance-principal session), all cached in `cacheDir`. A standby node calls it so that its
   * takeover costs only the calls that move the IP. At most 3 metadata requests, 1 federation,
   * 1 GetVnic and 1 GetSubnet when cold; none when warm.
   */
  prepare(
    ip: string,
    options?: CallOptions & { vnic?: VnicSelector | undefined },
  ): Promise<Prepared>;
  /** Prefix length for `ip` on the host side, from the subnet of `vnic` (e.g. 24 or 64). */
  prefixLength(ip: string, vnic: VnicRef, options?: CallOptions): Promise<number>;
  /** Requests made so far by operation (`Imds`, `Federation`, `ListPrivateIps`, ...). */
  requestCounts(): RequestCounts;
  /** Sets all request counts back to zero. */
  resetRequestCounts(): void;
}

/**
 * Creates a client for our VNICs and their private IPs. Only the options are checked here:
 * the operations, zod and the OCI SDK are loaded on the first call, so importing this package
 * and creating a client stay cheap for an agent that may not need the cloud at all.
 * @example
 * const vnics = createOciVnic({ cacheDir: process.env.HA_RSCTMP });
 * const vnic = await vnics.selectVnic({ ip: "10.0.0.100" });
 * await vnics.assign("10.0.0.100", vnic, { timeoutMs: 20_000 });
 */
export function createOciVnic(options: OciVnicOptions = {}): OciVnic {
  const opts = resolveOptions(options);
  const counters = createRequestCounters();
  let engine: Promise<Engine> | undefined;
  const load = (): Promise<Engine> => {
    engine ??= import("./engine.js").then((m) => m.createEngine(opts, counters));
    return engine;
  };
  const endpoints = {
    metadata: opts.metadataUrl,
    federation: opts.federationUrl,
    api: opts.apiUrl,
  };
  return {
    get endpoints() {
      return { ...endpoints };
    },
    resolveEndpoints: async (o) => (await load()).resolveEndpoints(o),
    instance: async (o) => (await load()).instance(o),
    listVnics: async (o) => (await load()).listVnics(o),
    selectVnic: async (selector, o) => (await load()).selectVnic(selector, o),
    getAssignment: async (ip, o) => (await load()).getAssignment(ip, o),
    assign: async (ip, vnic, o) => (await load()).assign(ip, vnic, o),
    release: async (ip, vnic, o) => (await load()).release(ip, vnic, o),
    subnetFacts: async (vnic, o) => (await load()).subnetFacts(vnic, o),
    prefixLength: async (ip, vnic, o) => (await load()).prefixLength(ip, vnic, o),
    prepare: async (ip, o) => (await load()).prepare(ip, o),
    requestCounts: () => counters.snapshot(),
    resetRequestCounts: () => counters.reset(),
  };
}
