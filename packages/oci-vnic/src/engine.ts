import { assignIp, releaseIp } from "./assignment.js";
import type { OciVnic, VnicRef } from "./client.js";
import type { RequestCounters } from "./counters.js";
import { type CallOptions, createDeadline, type Deadline } from "./deadline.js";
import { invalidParameter, isOciVnicError, OciVnicError } from "./errors.js";
import { createFactsStore, type SubnetFacts } from "./facts.js";
import { cidrContains, type IpAddress, parseIp, tryParseCidr } from "./ip.js";
import { ipv6Ops, privateIpOps } from "./ip-ops.js";
import type { ResolvedOptions } from "./options.js";
import { describeVnics, type VnicSelector, validateSelector } from "./select.js";
import { createWiring } from "./wiring.js";

function vnicIdOf(vnic: VnicRef): string {
  const id = typeof vnic === "string" ? vnic : vnic?.vnicId;
  if (typeof id !== "string" || !id.startsWith("ocid1.vnic.")) {
    throw invalidParameter("vnic", "a VNIC OCID or an object with vnicId (from selectVnic)", vnic);
  }
  return id;
}

/**
 * Whether the VNIC's metadata subnet (its first IPv4 block) rules `ip` out. A subnet may have
 * more IPv4 blocks (`Subnet.ipv4CidrBlocks`) than the metadata shows: the caller then asks the API.
 */
function outsideHint(ip: IpAddress, vnic: VnicRef): string | undefined {
  if (typeof vnic === "string") return undefined;
  const cidrText = ip.family === 4 ? vnic.subnetCidr : vnic.ipv6SubnetCidr;
  const cidr = cidrText === undefined ? undefined : tryParseCidr(cidrText);
  return cidr && !cidrContains(cidr, ip) ? cidrText : undefined;
}

function inAnyBlock(ip: IpAddress, subnet: SubnetFacts): boolean {
  return (ip.family === 4 ? subnet.ipv4Cidrs : subnet.ipv6Cidrs).some((text) => {
    const cidr = tryParseCidr(text);
    return cidr !== undefined && cidrContains(cidr, ip);
  });
}

/** The operations behind {@link OciVnic}, loaded on first use (see client.ts). */
export type Engine = Omit<OciVnic, "endpoints" | "requestCounts" | "resetRequestCounts">;

/** Builds the engine of one client from validated options and the client's counters. */
export function createEngine(opts: ResolvedOptions, counters: RequestCounters): Engine {
  const { cache, imds, metadata, auth, region, federationUrl, apiUrl, api } = createWiring(
    opts,
    counters,
  );
  const facts = createFactsStore(api, cache, apiUrl);
  const v4 = privateIpOps(api);
  const v6 = ipv6Ops(api);
  const opsFor = (ip: IpAddress) => (ip.family === 4 ? v4 : v6);
  const start = (o: CallOptions | undefined) => createDeadline(o, opts.defaultTimeoutMs);

  // A VNIC from a cached snapshot that the API does not know was replaced since: say so (and
  // refresh the snapshot) rather than blaming IAM.
  const subnetIdFor = async (deadline: Deadline, vnic: VnicRef): Promise<string> => {
    const id = vnicIdOf(vnic);
    try {
      const known = await facts.vnic(deadline, id);
      const seenMac =
        typeof vnic === "object" && "macAddress" in vnic ? vnic.macAddress : undefined;
      if (
        typeof seenMac === "string" &&
        known.macAddress &&
        known.macAddress !== seenMac.toLowerCase()
      ) {
        // The metadata snapshot and the API disagree about this VNIC: believe the API, read the
        // metadata service again, and let the caller select again.
        const fresh = await metadata.get(deadline, true);
        throw new OciVnicError(
          "VNIC_NOT_FOUND",
          `VNIC ${id} has MAC ${known.macAddress} in the API, not ${seenMac} as the metadata ` +
            `snapshot said; select the VNIC again. This instance has: ${describeVnics(fresh.vnics)}`,
        );
      }
      return known.subnetId;
    } catch (e) {
      if (isOciVnicError(e, "VNIC_NOT_FOUND")) throw e;
      // Only for a VNIC that came from our metadata (a VnicInfo from selectVnic, or an id in the
      // snapshot); any other may be another instance's VNIC, where a 404 really is about IAM.
      const fromMetadata =
        (typeof vnic === "object" && "macAddress" in vnic) ||
        metadata.peek()?.vnics.some((v) => v.vnicId === id);
      if (!isOciVnicError(e, "NOT_AUTHORIZED_OR_NOT_FOUND") || !fromMetadata) throw e;
      const known = metadata.peek()?.vnics.some((v) => v.vnicId === id);
      const fresh = known === false ? metadata.peek()! : await metadata.get(deadline, true);
      if (fresh.vnics.some((v) => v.vnicId === id)) throw e;
      throw new OciVnicError(
        "VNIC_NOT_FOUND",
        `VNIC ${id} is no longer attached to this instance; select the VNIC again. ` +
          `This instance has: ${describeVnics(fresh.vnics)}`,
        {},
        { cause: e },
      );
    }
  };

  // A VIP in a subnet's secondary IPv4 block: the metadata shows each subnet's first block only,
  // so when no VNIC's metadata subnet contains the IP, ask the API for every VNIC subnet's blocks.
  const select = async (d: Deadline, selector: VnicSelector) => {
    try {
      return await metadata.select(d, selector);
    } catch (e) {
      if (!("ip" in selector) || selector.ip === undefined) throw e;
      if (!isOciVnicError(e, "VNIC_NOT_FOUND")) throw e;
      const ip = parseIp(selector.ip);
      const snapshot = await metadata.get(d);
      const onNic = (v: { nicIndex: number | undefined }) =>
        !("nicIndex" in selector) || (v.nicIndex ?? 0) === selector.nicIndex;
      const hits = [];
      for (const vnic of snapshot.vnics.filter(onNic)) {
        const subnet = await facts.subnet(d, (await facts.vnic(d, vnic.vnicId)).subnetId);
        if (inAnyBlock(ip, subnet)) hits.push(vnic);
      }
      if (hits.length === 1) return hits[0]!;
      if (hits.length === 0) throw e;
      throw new OciVnicError(
        "VNIC_AMBIGUOUS",
        `${hits.length} VNICs are in subnets containing ${ip.address}; select by vnicId or mac instead. ` +
          `Matching: ${describeVnics(hits)}`,
      );
    }
  };

  return {
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
      return select(start(o), valid);
    },
    async getAssignment(ipText, o) {
      const ip = parseIp(ipText);
      const d = start(o);
      let subnetId = o?.subnetId;
      if (subnetId === undefined && o?.vnic !== undefined) subnetId = await subnetIdFor(d, o.vnic);
      if (subnetId === undefined) {
        const pick = () => select(d, { ip: ip.address });
        // The snapshot is fresh after a VNIC_NOT_FOUND: pick again from it, once.
        subnetId = await subnetIdFor(d, await pick()).catch(async (e: unknown) => {
          if (!isOciVnicError(e, "VNIC_NOT_FOUND")) throw e;
          return subnetIdFor(d, await pick());
        });
      }
      const record = await opsFor(ip).find(d, ip, subnetId);
      if (!record) return undefined;
      return { ip: ip.address, family: ip.family, ...record };
    },
    async assign(ipText, vnic, o) {
      const ip = parseIp(ipText);
      const vnicId = vnicIdOf(vnic);
      const d = start(o);
      const hint = outsideHint(ip, vnic);
      const subnetId = await subnetIdFor(d, vnic);
      if (hint !== undefined) {
        const subnet = await facts.subnet(d, subnetId);
        if (!inAnyBlock(ip, subnet)) {
          throw new OciVnicError(
            "CONFLICT",
            `${ip.address} is not in the subnet of VNIC ${vnicId} (${[...subnet.ipv4Cidrs, ...subnet.ipv6Cidrs].join(", ") || hint}); ` +
              "a private IP can only be assigned to a VNIC in its own subnet",
          );
        }
      }
      return assignIp(opsFor(ip), d, ip, vnicId, subnetId);
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
    async prepare(ipText, o) {
      const ip = parseIp(ipText);
      const d = start(o);
      const selector = o?.vnic === undefined ? { ip: ip.address } : validateSelector(o.vnic);
      const vnic = await select(d, selector);
      const [subnet, handle] = await Promise.all([
        subnetIdFor(d, vnic).then((id) => facts.subnet(d, id)),
        auth(d).then(async (h) => {
          await h.prepare(d);
          return h;
        }),
      ]);
      return { vnic, subnet, credentialsValidUntil: handle.validUntil() };
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
  };
}
