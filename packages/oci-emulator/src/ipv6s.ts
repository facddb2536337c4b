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
import { bigIntToIpv6, canonicalIpv6, ipv6Inside, ipv6ToBigInt, parseIpv6Cidr } from "./ip.js";
import type { EmulatorState, Ipv6Record, SubnetRecord } from "./state.js";

/**
 * IPv6s still visible at `now`: a deleted IPv6 stays TERMINATING for the scenario's
 * `ipv6TerminatingMs`, then is gone (oci-core `model/ipv6`: lifecycleState PROVISIONING,
 * AVAILABLE, TERMINATING, TERMINATED; deletion is asynchronous on OCI).
 */
export function visibleIpv6s(state: EmulatorState, now: number): Ipv6Record[] {
  return state.ipv6s.filter((p) => !((state.terminating[p.id] ?? Number.POSITIVE_INFINITY) <= now));
}

/** Drops IPv6 records whose TERMINATING period has ended. */
function prune(state: EmulatorState, now: number): void {
  const gone = new Set(
    Object.entries(state.terminating)
      .filter(([, at]) => at <= now)
      .map(([id]) => id),
  );
  if (gone.size === 0) return;
  state.ipv6s = state.ipv6s.filter((p) => !gone.has(p.id));
  for (const id of gone) delete state.terminating[id];
}

function ipv6Or404(state: EmulatorState, id: string | undefined, now: number): Ipv6Record {
  const ip = visibleIpv6s(state, now).find((p) => p.id === id);
  if (!ip) throw notAuthorizedOrNotFound();
  return ip;
}

function refuseTerminating(ip: Ipv6Record): void {
  if (ip.lifecycleState !== "AVAILABLE") {
    throw new ApiError(
      409,
      "IncorrectState",
      `IPv6 ${ip.id} is ${ip.lifecycleState}; it cannot be changed`,
    );
  }
}

/** ListIpv6s: by `ipAddress`+`subnetId`, `subnetId` or `vnicId`. */
export function listIpv6s(call: ApiCall): ApiResult {
  const { ctx, query } = call;
  const state = ctx.store.read(ctx.now());
  const rawAddress = query.get("ipAddress");
  const subnetId = query.get("subnetId");
  const vnicId = query.get("vnicId");
  if (rawAddress !== undefined && subnetId === undefined)
    throw invalidParameter("ipAddress requires subnetId");
  if (subnetId === undefined && vnicId === undefined)
    throw missingParameter("one of subnetId or vnicId");
  const ipAddress = rawAddress === undefined ? undefined : canonicalIpv6(rawAddress);
  if (rawAddress !== undefined && ipAddress === undefined)
    throw invalidParameter(`ipAddress "${rawAddress}" is not an IPv6 address`);
  if (subnetId !== undefined)
    authorize(ctx, call.principal, subnetOr404(state, subnetId).compartmentId, "read");
  if (vnicId !== undefined)
    authorize(ctx, call.principal, vnicOr404(state, vnicId).compartmentId, "read");
  const items = visibleIpv6s(state, ctx.now())
    .filter(
      (p) =>
        (subnetId === undefined || p.subnetId === subnetId) &&
        (vnicId === undefined || p.vnicId === vnicId) &&
        (ipAddress === undefined || p.ipAddress === ipAddress),
    )
    .sort((a, b) => (ipv6ToBigInt(a.ipAddress)! < ipv6ToBigInt(b.ipAddress)! ? -1 : 1));
  return paginate(items, query);
}

/** GetIpv6. */
export function getIpv6(call: ApiCall): ApiResult {
  const state = call.ctx.store.read(call.ctx.now());
  const ip = ipv6Or404(state, call.params[0], call.ctx.now());
  authorize(call.ctx, call.principal, ip.compartmentId, "read");
  return withEtag(ip);
}

function pickIpv6(
  state: EmulatorState,
  subnet: SubnetRecord,
  requested: string | undefined,
): string {
  if (!subnet.ipv6CidrBlock) throw invalidParameter(`subnet ${subnet.id} has no IPv6 prefix`);
  const block = parseIpv6Cidr(subnet.ipv6CidrBlock)!;
  const used = new Set(state.ipv6s.filter((p) => p.subnetId === subnet.id).map((p) => p.ipAddress));
  if (requested !== undefined) {
    const value = ipv6ToBigInt(requested);
    if (value === undefined)
      throw invalidParameter(`ipAddress "${requested}" is not an IPv6 address`);
    if (!ipv6Inside(block, value)) {
      throw invalidParameter(
        `ipAddress ${requested} is not within the IPv6 prefix ${subnet.ipv6CidrBlock} of subnet ${subnet.id}`,
      );
    }
    const canonical = bigIntToIpv6(value);
    if (value === block.network)
      throw invalidParameter(`ipAddress ${requested} is the subnet-router anycast address`);
    if (used.has(canonical))
      throw new ApiError(
        409,
        "Conflict",
        `The IP address ${canonical} is already in use in subnet ${subnet.id}.`,
      );
    return canonical;
  }
  for (let offset = 0x100n; offset < 0x10000n; offset++) {
    const candidate = bigIntToIpv6(block.network + offset);
    if (!used.has(candidate)) return candidate;
  }
  throw new ApiError(400, "LimitExceeded", `subnet ${subnet.id} has no free IPv6 address`);
}

function checkLimit(call: ApiCall, state: EmulatorState, vnicId: string): void {
  const limit = call.ctx.scenario.limits.ipv6PerVnic;
  const count = state.ipv6s.filter(
    (p) => p.vnicId === vnicId && p.lifecycleState === "AVAILABLE",
  ).length;
  if (count >= limit)
    throw new ApiError(
      400,
      "LimitExceeded",
      `VNIC ${vnicId} already has ${count} IPv6 addresses (limit ${limit})`,
    );
}

/** CreateIpv6: an IPv6 on a VNIC, inside the subnet's prefix, free, under the per-VNIC limit. */
export function createIpv6(call: ApiCall): ApiResult {
  const replay = retryReplay(call);
  if (replay) return replay;
  const { ctx } = call;
  const body = bodyObject(call.body, "CreateIpv6Details");
  const vnicId = optionalString(body, "vnicId");
  if (vnicId === undefined) throw missingParameter("vnicId");
  const requested = optionalString(body, "ipAddress");
  const displayName = optionalString(body, "displayName");
  return ctx.store.mutate(ctx.now(), (state) => {
    prune(state, ctx.now());
    const vnic = vnicOr404(state, vnicId);
    authorize(ctx, call.principal, vnic.compartmentId, "manage");
    const subnet = subnetOr404(state, vnic.subnetId);
    const ipAddress = pickIpv6(state, subnet, requested);
    checkLimit(call, state, vnic.id);
    const record: Ipv6Record = {
      id: newOcid(ctx, "ipv6"),
      ipAddress,
      subnetId: subnet.id,
      vnicId: vnic.id,
      compartmentId: vnic.compartmentId,
      displayName: displayName ?? ipAddress,
      lifecycleState: "AVAILABLE",
      ipState: "ASSIGNED",
      lifetime: "EPHEMERAL",
      timeCreated: new Date(ctx.now()).toISOString(),
      freeformTags: (body.freeformTags as Record<string, string> | undefined) ?? {},
      definedTags: (body.definedTags as Record<string, unknown> | undefined) ?? {},
    };
    state.ipv6s.push(record);
    return rememberRetry(call, withEtag(structuredClone(record)));
  });
}

/** UpdateIpv6: moves an IPv6 to another VNIC of the same subnet, or renames it. */
export function updateIpv6(call: ApiCall): ApiResult {
  const { ctx } = call;
  const body = bodyObject(call.body, "UpdateIpv6Details");
  return ctx.store.mutate(ctx.now(), (state) => {
    prune(state, ctx.now());
    const ip = ipv6Or404(state, call.params[0], ctx.now());
    authorize(ctx, call.principal, ip.compartmentId, "manage");
    checkIfMatch(call, ip);
    refuseTerminating(ip);
    const vnicId = optionalString(body, "vnicId");
    if (vnicId !== undefined && vnicId !== ip.vnicId) {
      const target = moveTarget(call, state, ip, vnicId, {
        noun: "IPv6",
        checkLimit: (id) => checkLimit(call, state, id),
      });
      ip.vnicId = target.id;
    }
    const displayName = optionalString(body, "displayName");
    if (displayName !== undefined) ip.displayName = displayName;
    return withEtag(structuredClone(ip));
  });
}

/**
 * DeleteIpv6: unassigns and deletes an IPv6. With the scenario's `ipv6TerminatingMs` > 0 the
 * record first stays TERMINATING (still on its VNIC, its address still taken) for that long.
 */
export function deleteIpv6(call: ApiCall): ApiResult {
  const { ctx } = call;
  return ctx.store.mutate(ctx.now(), (state) => {
    prune(state, ctx.now());
    const ip = ipv6Or404(state, call.params[0], ctx.now());
    authorize(ctx, call.principal, ip.compartmentId, "manage");
    checkIfMatch(call, ip);
    refuseTerminating(ip);
    const period = ctx.scenario.ipv6TerminatingMs;
    if (period > 0) {
      ip.lifecycleState = "TERMINATING";
      state.terminating[ip.id] = ctx.now() + period;
    } else {
      state.ipv6s = state.ipv6s.filter((p) => p !== ip);
    }
    return { status: 204 };
  });
}
