import {
  type ApiCall,
  type ApiResult,
  bodyObject,
  checkIfMatch,
  moveTarget,
  newOcid,
  optionalString,
  paginate,
  rememberRetry,
  retryReplay,
  subnetOr404,
  vnicOr404,
  withEtag,
} from "./api-common.js";
import { authorize } from "./context.js";
import {
  ApiError,
  invalidParameter,
  missingParameter,
  notAuthorizedOrNotFound,
} from "./http-util.js";
import { ipv4ToNumber, ipv4Usable, numberToIpv4, parseIpv4Cidr } from "./ip.js";
import { onPrivateIpDeleted } from "./public-ips.js";
import type { EmulatorState, PrivateIpRecord, SubnetRecord } from "./state.js";

const ipStates = ["ASSIGNED", "AVAILABLE"];
const lifetimes = ["EPHEMERAL", "RESERVED"];

function byAddress(a: PrivateIpRecord, b: PrivateIpRecord): number {
  return (ipv4ToNumber(a.ipAddress) ?? 0) - (ipv4ToNumber(b.ipAddress) ?? 0);
}

/** ListPrivateIps: by `ipAddress`+`subnetId`, `subnetId` or `vnicId` (primary and secondary). */
export function listPrivateIps(call: ApiCall): ApiResult {
  const { ctx, query } = call;
  const state = ctx.store.read(ctx.now());
  const ipAddress = query.get("ipAddress");
  const subnetId = query.get("subnetId");
  const vnicId = query.get("vnicId");
  if (query.has("vlanId"))
    throw invalidParameter("vlanId: VLANs are not emulated; filter by subnetId or vnicId");
  if (ipAddress !== undefined && subnetId === undefined) {
    throw invalidParameter(
      "ipAddress requires subnetId (filter by ipAddress and subnetId together)",
    );
  }
  if (subnetId === undefined && vnicId === undefined) {
    throw missingParameter("one of subnetId or vnicId");
  }
  if (subnetId !== undefined)
    authorize(ctx, call.principal, subnetOr404(state, subnetId).compartmentId, "read");
  if (vnicId !== undefined)
    authorize(ctx, call.principal, vnicOr404(state, vnicId).compartmentId, "read");
  for (const [name, allowed] of [
    ["ipState", ipStates],
    ["lifetime", lifetimes],
  ] as const) {
    const value = query.get(name);
    if (value !== undefined && !allowed.includes(value)) {
      throw invalidParameter(`${name} must be one of ${allowed.join(", ")}, got "${value}"`);
    }
  }
  const items = state.privateIps
    .filter(
      (p) =>
        (subnetId === undefined || p.subnetId === subnetId) &&
        (vnicId === undefined || p.vnicId === vnicId) &&
        (ipAddress === undefined || p.ipAddress === ipAddress) &&
        (query.get("ipState") === undefined || p.ipState === query.get("ipState")) &&
        (query.get("lifetime") === undefined || p.lifetime === query.get("lifetime")),
    )
    .sort(byAddress);
  return paginate(items, query);
}

function privateIpOr404(state: EmulatorState, id: string | undefined): PrivateIpRecord {
  const ip = state.privateIps.find((p) => p.id === id);
  if (!ip) throw notAuthorizedOrNotFound();
  return ip;
}

/** GetPrivateIp. */
export function getPrivateIp(call: ApiCall): ApiResult {
  const state = call.ctx.store.read(call.ctx.now());
  const ip = privateIpOr404(state, call.params[0]);
  authorize(call.ctx, call.principal, ip.compartmentId, "read");
  return withEtag(ip);
}

function checkLimit(call: ApiCall, state: EmulatorState, vnicId: string): void {
  const limit = call.ctx.scenario.limits.secondaryIpv4PerVnic;
  const count = state.privateIps.filter((p) => p.vnicId === vnicId && !p.isPrimary).length;
  if (count >= limit) {
    throw new ApiError(
      400,
      "LimitExceeded",
      `VNIC ${vnicId} already has ${count} secondary private IPs (limit ${limit})`,
    );
  }
}

function pickAddress(
  state: EmulatorState,
  subnet: SubnetRecord,
  requested: string | undefined,
): string {
  const blocks = subnet.ipv4CidrBlocks.map((c) => parseIpv4Cidr(c)).filter((b) => b !== undefined);
  if (blocks.length === 0) {
    throw invalidParameter(`subnet ${subnet.id} is IPv6-only: it has no private IPv4 addresses`);
  }
  const used = new Set(
    state.privateIps.filter((p) => p.subnetId === subnet.id).map((p) => p.ipAddress),
  );
  if (requested !== undefined) {
    const value = ipv4ToNumber(requested);
    if (value === undefined)
      throw invalidParameter(`ipAddress "${requested}" is not an IPv4 address`);
    // A subnet may have several IPv4 blocks (Subnet.ipv4CidrBlocks); any of them will do.
    const usable = blocks.map((b) => ipv4Usable(b, value));
    if (usable.every((u) => u === "outside")) {
      throw invalidParameter(
        `ipAddress ${requested} is not within the CIDRs ${subnet.ipv4CidrBlocks.join(", ")} of subnet ${subnet.id}`,
      );
    }
    if (!usable.includes("ok"))
      throw invalidParameter(
        `ipAddress ${requested} is reserved by OCI in subnet ${subnet.ipv4CidrBlocks.join(", ")}`,
      );
    if (used.has(requested)) {
      throw new ApiError(
        409,
        "Conflict",
        `The IP address ${requested} is already in use in subnet ${subnet.id}.`,
      );
    }
    return requested;
  }
  for (const block of blocks) {
    for (let value = block.network + 2; value < block.network + block.size - 1; value++) {
      const candidate = numberToIpv4(value);
      if (!used.has(candidate)) return candidate;
    }
  }
  throw new ApiError(400, "LimitExceeded", `subnet ${subnet.id} has no free IPv4 address`);
}

/** CreatePrivateIp: a secondary IP on a VNIC, in the VNIC's subnet, free, under the per-VNIC limit. */
export function createPrivateIp(call: ApiCall): ApiResult {
  const replay = retryReplay(call);
  if (replay) return replay;
  const { ctx } = call;
  const body = bodyObject(call.body, "CreatePrivateIpDetails");
  const vnicId = optionalString(body, "vnicId");
  if (vnicId === undefined) throw missingParameter("vnicId (VLAN private IPs are not emulated)");
  const requested = optionalString(body, "ipAddress");
  const displayName = optionalString(body, "displayName");
  const hostnameLabel = optionalString(body, "hostnameLabel");
  const lifetime = optionalString(body, "lifetime") ?? "EPHEMERAL";
  if (!lifetimes.includes(lifetime))
    throw invalidParameter(`lifetime must be one of ${lifetimes.join(", ")}, got "${lifetime}"`);
  return ctx.store.mutate(ctx.now(), (state) => {
    const vnic = vnicOr404(state, vnicId);
    authorize(ctx, call.principal, vnic.compartmentId, "manage");
    const subnetId = optionalString(body, "subnetId");
    if (subnetId !== undefined && subnetId !== vnic.subnetId) {
      throw invalidParameter(`subnetId ${subnetId} is not the subnet of VNIC ${vnicId}`);
    }
    const subnet = subnetOr404(state, vnic.subnetId);
    const ipAddress = pickAddress(state, subnet, requested);
    checkLimit(call, state, vnic.id);
    const record: PrivateIpRecord = {
      id: newOcid(ctx, "privateip"),
      ipAddress,
      subnetId: subnet.id,
      vnicId: vnic.id,
      isPrimary: false,
      ...(hostnameLabel ? { hostnameLabel } : {}),
      displayName: displayName ?? ipAddress,
      compartmentId: vnic.compartmentId,
      availabilityDomain: vnic.availabilityDomain,
      timeCreated: new Date(ctx.now()).toISOString(),
      ipState: "ASSIGNED",
      lifetime: lifetime as PrivateIpRecord["lifetime"],
      freeformTags: (body.freeformTags as Record<string, string> | undefined) ?? {},
      definedTags: (body.definedTags as Record<string, unknown> | undefined) ?? {},
    };
    state.privateIps.push(record);
    return rememberRetry(call, withEtag(structuredClone(record)));
  });
}

/** UpdatePrivateIp: moves a secondary IP to another VNIC of the same subnet, or renames it. */
export function updatePrivateIp(call: ApiCall): ApiResult {
  const { ctx } = call;
  const body = bodyObject(call.body, "UpdatePrivateIpDetails");
  return ctx.store.mutate(ctx.now(), (state) => {
    const ip = privateIpOr404(state, call.params[0]);
    authorize(ctx, call.principal, ip.compartmentId, "manage");
    checkIfMatch(call, ip);
    if (ip.isPrimary)
      throw invalidParameter(
        `private IP ${ip.id} is a primary private IP; it cannot be updated or moved`,
      );
    const vnicId = optionalString(body, "vnicId");
    if (vnicId !== undefined && vnicId !== ip.vnicId) {
      const target = moveTarget(call, state, ip, vnicId, {
        noun: "private IP",
        checkLimit: (id) => checkLimit(call, state, id),
      });
      ip.vnicId = target.id;
      ip.availabilityDomain = target.availabilityDomain;
    }
    const displayName = optionalString(body, "displayName");
    if (displayName !== undefined) ip.displayName = displayName;
    const hostnameLabel = optionalString(body, "hostnameLabel");
    if (hostnameLabel !== undefined) ip.hostnameLabel = hostnameLabel;
    const lifetime = optionalString(body, "lifetime");
    if (lifetime !== undefined) {
      if (!lifetimes.includes(lifetime))
        throw invalidParameter(`lifetime must be one of ${lifetimes.join(", ")}`);
      ip.lifetime = lifetime as PrivateIpRecord["lifetime"];
    }
    return withEtag(structuredClone(ip));
  });
}

/** DeletePrivateIp: returns a secondary IP to the subnet's pool; primaries are refused. */
export function deletePrivateIp(call: ApiCall): ApiResult {
  const { ctx } = call;
  return ctx.store.mutate(ctx.now(), (state) => {
    const ip = privateIpOr404(state, call.params[0]);
    authorize(ctx, call.principal, ip.compartmentId, "manage");
    checkIfMatch(call, ip);
    if (ip.isPrimary)
      throw invalidParameter(`private IP ${ip.id} is a primary private IP; it cannot be deleted`);
    state.privateIps = state.privateIps.filter((p) => p !== ip);
    onPrivateIpDeleted(state, ip.id);
    return { status: 204 };
  });
}
