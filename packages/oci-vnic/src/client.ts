import type { ApiContext } from "./api.js";
import {
  type Assignment,
  type AssignResult,
  assignIp,
  type ReleaseResult,
  releaseIp,
} from "./assignment.js";
import { type AuthHandle, instancePrincipalAuth, staticAuth } from "./auth.js";
import { createCacheStore } from "./cache-store.js";
import { createRequestCounters, type RequestCounts } from "./counters.js";
import { type CallOptions, createDeadline, type Deadline } from "./deadline.js";
import { invalidParameter, OciVnicError } from "./errors.js";
import { createFactsStore, type SubnetFacts } from "./facts.js";
import { createImdsClient } from "./imds.js";
import { createSessionSource } from "./instance-principal.js";
import { cidrContains, type IpAddress, parseIp, tryParseCidr } from "./ip.js";
import { ipv6Ops, privateIpOps } from "./ip-ops.js";
import type { InstanceInfo, VnicInfo } from "./metadata.js";
import { createMetadataSource } from "./metadata-source.js";
import { type OciVnicOptions, resolveOptions } from "./options.js";
import { loadCommon, setSdkLogSink } from "./sdk.js";
import { type VnicSelector, validateSelector } from "./select.js";

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
  /** Prefix length for `ip` on the host side, from the subnet of `vnic` (e.g. 24 or 64). */
  prefixLength(ip: string, vnic: VnicRef, options?: CallOptions): Promise<number>;
  /** Requests made so far by operation (`Imds`, `Federation`, `ListPrivateIps`, ...). */
  requestCounts(): RequestCounts;
  /** Sets all request counts back to zero. */
  resetRequestCounts(): void;
}

function vnicIdOf(vnic: VnicRef): string {
  const id = typeof vnic === "string" ? vnic : vnic?.vnicId;
  if (typeof id !== "string" || !id.startsWith("ocid1.vnic.")) {
    throw invalidParameter("vnic", "a VNIC OCID or an object with vnicId (from selectVnic)", vnic);
  }
  return id;
}

function checkSubnetHint(ip: IpAddress, vnic: VnicRef): void {
  if (typeof vnic === "string") return;
  const cidrText = ip.family === 4 ? vnic.subnetCidr : vnic.ipv6SubnetCidr;
  const cidr = cidrText === undefined ? undefined : tryParseCidr(cidrText);
  if (cidr && !cidrContains(cidr, ip)) {
    throw new OciVnicError(
      "CONFLICT",
      `${ip.address} is not in the subnet ${cidrText} of VNIC ${vnic.vnicId}; a private IP can ` +
        "only be assigned to a VNIC in its own subnet",
    );
  }
}

/**
 * Creates a client for our VNICs and their private IPs. Nothing is loaded or sent until a method
 * runs; the OCI SDK is imported on first use.
 * @example
 * const vnics = createOciVnic({ cacheDir: process.env.HA_RSCTMP });
 * const vnic = await vnics.selectVnic({ ip: "10.0.0.100" });
 * await vnics.assign("10.0.0.100", vnic, { timeoutMs: 20_000 });
 */
export function createOciVnic(options: OciVnicOptions = {}): OciVnic {
  const opts = resolveOptions(options);
  if (opts.sdkLog) setSdkLogSink(opts.sdkLog);
  const counters = createRequestCounters();
  const cache = createCacheStore(opts.cacheDir, opts.bootIdPath);
  const imds = createImdsClient({
    baseUrl: opts.metadataUrl,
    counters,
    policy: opts.metadataRetry,
  });
  const metadata = createMetadataSource(imds, cache);
  const explicit = { metadata: imds.baseUrl, federation: opts.federationUrl, api: opts.apiUrl };
  let authPromise: Promise<AuthHandle> | undefined;
  let regionPromise: Promise<string | undefined> | undefined;

  const region = (deadline: Deadline): Promise<string | undefined> => {
    regionPromise ??= (async () => {
      if (opts.region) return opts.region;
      const fromAuth = await (await auth(deadline)).region(deadline);
      return fromAuth ?? (await metadata.get(deadline)).instance.region;
    })();
    regionPromise.catch(() => {
      regionPromise = undefined;
    });
    return regionPromise;
  };

  const defaultEndpoint = async (service: "auth" | "iaas", deadline: Deadline) => {
    const regionId = await region(deadline);
    if (!regionId) {
      throw new OciVnicError(
        "INVALID_PARAMETER",
        `no region known to build the default ${service} endpoint: pass region or endpoints`,
      );
    }
    const common = await loadCommon();
    return common.EndpointBuilder.createEndpointFromRegionId(
      `https://${service}.{region}.{secondLevelDomain}`,
      regionId,
    );
  };
  const federationUrl = async (d: Deadline) => opts.federationUrl ?? defaultEndpoint("auth", d);
  const apiUrl = async (d: Deadline) => opts.apiUrl ?? defaultEndpoint("iaas", d);

  const auth = (_deadline?: Deadline): Promise<AuthHandle> => {
    if (!authPromise) {
      authPromise =
        opts.auth.kind === "instance-principal"
          ? Promise.resolve(
              instancePrincipalAuth(
                createSessionSource({ imds, federationEndpoint: federationUrl, cache, counters }),
              ),
            )
          : staticAuth(opts.auth);
      authPromise.catch(() => {
        authPromise = undefined;
      });
    }
    return authPromise;
  };

  const api: ApiContext = {
    resolve: async (deadline) => ({ endpoint: await apiUrl(deadline) }),
    auth,
    counters,
    policy: opts.retry,
    policyContext: () => ({
      principal:
        opts.auth.kind === "instance-principal"
          ? "instance"
          : opts.auth.kind === "config-file"
            ? "user"
            : "other",
      compartmentId: metadata.peek()?.instance.compartmentId,
    }),
  };
  const facts = createFactsStore(api, cache, () =>
    apiUrl(createDeadline(undefined, opts.defaultTimeoutMs)),
  );
  const v4 = privateIpOps(api);
  const v6 = ipv6Ops(api);
  const opsFor = (ip: IpAddress) => (ip.family === 4 ? v4 : v6);
  const start = (o: CallOptions | undefined) => createDeadline(o, opts.defaultTimeoutMs);

  const subnetIdFor = async (deadline: Deadline, vnic: VnicRef) =>
    (await facts.vnic(deadline, vnicIdOf(vnic))).subnetId;

  return {
    get endpoints() {
      return { ...explicit };
    },
    async resolveEndpoints(o) {
      const d = start(o);
      const [federation, apiEndpoint, regionId] = await Promise.all([
        federationUrl(d),
        apiUrl(d),
        opts.region ? opts.region : region(d).catch(() => undefined),
      ]);
      return { metadata: imds.baseUrl, federation, api: apiEndpoint, region: regionId };
    },
    async instance(o) {
      return (await metadata.get(start(o))).instance;
    },
    async listVnics(o) {
      return (await metadata.get(start(o), o?.refresh === true)).vnics;
    },
    selectVnic(selector, o) {
      const valid = validateSelector(selector);
      return metadata.select(start(o), valid);
    },
    async getAssignment(ipText, o) {
      const ip = parseIp(ipText);
      const d = start(o);
      let subnetId = o?.subnetId;
      if (subnetId === undefined) {
        const vnic = o?.vnic ?? (await metadata.select(d, { ip: ip.address }));
        subnetId = await subnetIdFor(d, vnic);
      }
      const record = await opsFor(ip).find(d, ip, subnetId);
      if (!record) return undefined;
      return { ip: ip.address, family: ip.family, ...record };
    },
    async assign(ipText, vnic, o) {
      const ip = parseIp(ipText);
      const vnicId = vnicIdOf(vnic);
      checkSubnetHint(ip, vnic);
      const d = start(o);
      return assignIp(opsFor(ip), d, ip, vnicId, await subnetIdFor(d, vnic));
    },
    async release(ipText, vnic, o) {
      const ip = parseIp(ipText);
      const vnicId = vnicIdOf(vnic);
      const d = start(o);
      return releaseIp(opsFor(ip), d, ip, vnicId, await subnetIdFor(d, vnic));
    },
    async subnetFacts(vnic, o) {
      const d = start(o);
      return facts.subnet(d, await subnetIdFor(d, vnic));
    },
    async prefixLength(ipText, vnic, o) {
      const ip = parseIp(ipText);
      const d = start(o);
      const subnet = await facts.subnet(d, await subnetIdFor(d, vnic));
      const cidrs = (ip.family === 4 ? subnet.ipv4Cidrs : subnet.ipv6Cidrs)
        .map((c) => tryParseCidr(c))
        .filter((c) => c !== undefined);
      const match = cidrs.find((c) => cidrContains(c, ip));
      if (!match) {
        throw new OciVnicError(
          "CONFLICT",
          `${ip.address} is in none of the subnet's blocks (${[...subnet.ipv4Cidrs, ...subnet.ipv6Cidrs].join(", ") || "none"})`,
        );
      }
      return match.prefixLength;
    },
    requestCounts: () => counters.snapshot(),
    resetRequestCounts: () => counters.reset(),
  };
}
