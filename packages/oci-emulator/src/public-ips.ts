// Public IPs and route tables bound to private IPs. Sources (public OCI documentation):
// - "Public IP Addresses": an ephemeral public IP lives and dies with its private IP; a reserved
//   one persists and can be assigned to a private IP, unassigned and reassigned.
// - oci-core `updatePrivateIp`: moving a secondary private IP to another VNIC keeps its OCID, so a
//   public IP or route rule bound to that OCID follows it.
// - oci-core `deletePrivateIp`: "If the private IP is a target of a route rule, deleting it
//   causes the rule to blackhole"; its ephemeral public IP is deleted, a reserved one unassigned.
// - Models: oci-core `PublicIp` (lifetime, scope, lifecycleState, privateIpId, assignedEntityId)
//   and `RouteTable`/`RouteRule` (networkEntityId, destination, destinationType).
import { z } from "zod";
import {
  type ApiCall,
  type ApiResult,
  bodyObject,
  checkIfMatch,
  newOcid,
  optionalString,
  paginate,
  withEtag,
} from "./api-common.js";
import { authorize } from "./context.js";
import {
  ApiError,
  invalidParameter,
  missingParameter,
  notAuthorizedOrNotFound,
} from "./http-util.js";

const tags = {
  freeformTags: z.record(z.string(), z.string()),
  definedTags: z.record(z.string(), z.unknown()),
};

/** A public IP as the API returns it (`PublicIp`). */
export const publicIpRecordSchema = z.looseObject({
  id: z.string(),
  ipAddress: z.string(),
  compartmentId: z.string(),
  displayName: z.string(),
  lifetime: z.enum(["EPHEMERAL", "RESERVED"]),
  scope: z.enum(["REGION", "AVAILABILITY_DOMAIN"]),
  lifecycleState: z.enum(["AVAILABLE", "ASSIGNED", "TERMINATED"]),
  privateIpId: z.string().optional(),
  assignedEntityId: z.string().optional(),
  assignedEntityType: z.literal("PRIVATE_IP").optional(),
  availabilityDomain: z.string().optional(),
  timeCreated: z.string(),
  ...tags,
});
/** A public IP record. */
export type PublicIpRecord = z.infer<typeof publicIpRecordSchema>;

/** A route rule (`RouteRule`); `networkEntityId` may be a private IP's OCID. */
export const routeRuleSchema = z.looseObject({
  destination: z.string(),
  destinationType: z.enum(["CIDR_BLOCK", "SERVICE_CIDR_BLOCK"]),
  networkEntityId: z.string(),
  description: z.string().optional(),
  routeType: z.enum(["STATIC", "LOCAL"]).optional(),
});

/** A route table as the API returns it (`RouteTable`). */
export const routeTableRecordSchema = z.looseObject({
  id: z.string(),
  compartmentId: z.string(),
  vcnId: z.string(),
  displayName: z.string(),
  lifecycleState: z.string(),
  routeRules: z.array(routeRuleSchema),
  timeCreated: z.string(),
  ...tags,
});
/** A route table record. */
export type RouteTableRecord = z.infer<typeof routeTableRecordSchema>;

function publicIpOr404(call: ApiCall, id: string | undefined): PublicIpRecord {
  const state = call.ctx.store.read(call.ctx.now());
  const ip = state.publicIps.find((p) => p.id === id);
  if (!ip) throw notAuthorizedOrNotFound();
  return ip;
}

/** Binds a public IP record to a private IP (or unbinds it with `undefined`). */
function bind(ip: PublicIpRecord, privateIpId: string | undefined): void {
  if (privateIpId === undefined) {
    delete ip.privateIpId;
    delete ip.assignedEntityId;
    delete ip.assignedEntityType;
    ip.lifecycleState = "AVAILABLE";
    return;
  }
  ip.privateIpId = privateIpId;
  ip.assignedEntityId = privateIpId;
  ip.assignedEntityType = "PRIVATE_IP";
  ip.lifecycleState = "ASSIGNED";
}

/**
 * What DeletePrivateIp does to what points at the private IP: its ephemeral public IP is deleted,
 * a reserved one unassigned. Route rules keep their target: with the private IP gone they blackhole.
 */
export function onPrivateIpDeleted(
  state: { publicIps: PublicIpRecord[] },
  privateIpId: string,
): void {
  state.publicIps = state.publicIps.filter(
    (p) => !(p.privateIpId === privateIpId && p.lifetime === "EPHEMERAL"),
  );
  for (const p of state.publicIps) if (p.privateIpId === privateIpId) bind(p, undefined);
}

function checkPrivateIpFree(call: ApiCall, privateIpId: string, self?: string): void {
  const state = call.ctx.store.live;
  const target = state.privateIps.find((p) => p.id === privateIpId);
  if (!target) throw notAuthorizedOrNotFound();
  authorize(call.ctx, call.principal, target.compartmentId, "manage");
  const holder = state.publicIps.find((p) => p.privateIpId === privateIpId && p.id !== self);
  if (holder) {
    throw new ApiError(
      409,
      "Conflict",
      `private IP ${privateIpId} already has public IP ${holder.ipAddress} (${holder.id})`,
    );
  }
}

/** ListPublicIps: `scope` and `compartmentId` required; `lifetime` filters. */
export function listPublicIps(call: ApiCall): ApiResult {
  const { ctx, query } = call;
  const scope = query.get("scope");
  const compartmentId = query.get("compartmentId");
  if (scope === undefined) throw missingParameter("scope");
  if (compartmentId === undefined) throw missingParameter("compartmentId");
  if (scope !== "REGION" && scope !== "AVAILABILITY_DOMAIN")
    throw invalidParameter(`scope must be REGION or AVAILABILITY_DOMAIN, got "${scope}"`);
  authorize(ctx, call.principal, compartmentId, "read");
  const lifetime = query.get("lifetime");
  const items = ctx.store
    .read(ctx.now())
    .publicIps.filter(
      (p) =>
        p.compartmentId === compartmentId &&
        p.scope === scope &&
        (lifetime === undefined || p.lifetime === lifetime),
    );
  return paginate(items, query);
}

/** GetPublicIp. */
export function getPublicIp(call: ApiCall): ApiResult {
  const ip = publicIpOr404(call, call.params[0]);
  authorize(call.ctx, call.principal, ip.compartmentId, "read");
  return withEtag(ip);
}

/** GetPublicIpByPrivateIpId (`POST /publicIps/actions/getByPrivateIpId`): 404 when none is bound. */
export function getPublicIpByPrivateIpId(call: ApiCall): ApiResult {
  const body = bodyObject(call.body, "GetPublicIpByPrivateIpIdDetails");
  const privateIpId = optionalString(body, "privateIpId");
  if (privateIpId === undefined) throw missingParameter("privateIpId");
  const state = call.ctx.store.read(call.ctx.now());
  const ip = state.publicIps.find((p) => p.privateIpId === privateIpId);
  if (!ip) throw notAuthorizedOrNotFound();
  authorize(call.ctx, call.principal, ip.compartmentId, "read");
  return withEtag(ip);
}

/** CreatePublicIp: RESERVED (optionally bound to a private IP) or EPHEMERAL (bound, required). */
export function createPublicIp(call: ApiCall): ApiResult {
  const { ctx } = call;
  const body = bodyObject(call.body, "CreatePublicIpDetails");
  const compartmentId = optionalString(body, "compartmentId");
  const lifetime = optionalString(body, "lifetime");
  if (compartmentId === undefined) throw missingParameter("compartmentId");
  if (lifetime === undefined) throw missingParameter("lifetime");
  if (lifetime !== "RESERVED" && lifetime !== "EPHEMERAL")
    throw invalidParameter(`lifetime must be EPHEMERAL or RESERVED, got "${lifetime}"`);
  const privateIpId = optionalString(body, "privateIpId");
  if (lifetime === "EPHEMERAL" && privateIpId === undefined) throw missingParameter("privateIpId");
  authorize(ctx, call.principal, compartmentId, "manage");
  return ctx.store.mutate(ctx.now(), (state) => {
    if (privateIpId !== undefined) checkPrivateIpFree(call, privateIpId);
    const used = new Set(state.publicIps.map((p) => p.ipAddress));
    // TEST-NET-3 (RFC 5737) stands in for Oracle's public pools.
    let n = 10;
    while (used.has(`203.0.113.${n}`) && n < 254) n++;
    if (n >= 254) throw new ApiError(400, "LimitExceeded", "the public IP pool is exhausted");
    const record: PublicIpRecord = {
      id: newOcid(ctx, "publicip"),
      ipAddress: `203.0.113.${n}`,
      compartmentId,
      displayName: optionalString(body, "displayName") ?? `203.0.113.${n}`,
      lifetime,
      scope: "REGION",
      lifecycleState: "AVAILABLE",
      timeCreated: new Date(ctx.now()).toISOString(),
      freeformTags: {},
      definedTags: {},
    };
    bind(record, privateIpId);
    state.publicIps.push(record);
    return withEtag(structuredClone(record));
  });
}

/** UpdatePublicIp: `privateIpId` assigns a reserved IP (or moves it); `""` unassigns it. */
export function updatePublicIp(call: ApiCall): ApiResult {
  const { ctx } = call;
  const body = bodyObject(call.body, "UpdatePublicIpDetails");
  return ctx.store.mutate(ctx.now(), (state) => {
    const ip = state.publicIps.find((p) => p.id === call.params[0]);
    if (!ip) throw notAuthorizedOrNotFound();
    authorize(ctx, call.principal, ip.compartmentId, "manage");
    checkIfMatch(call, ip);
    const displayName = optionalString(body, "displayName");
    if (displayName !== undefined) ip.displayName = displayName;
    if ("privateIpId" in body) {
      const target = body.privateIpId;
      if (ip.lifetime === "EPHEMERAL")
        throw invalidParameter("an ephemeral public IP cannot be reassigned; delete it instead");
      if (target === "" || target === null) bind(ip, undefined);
      else if (typeof target === "string") {
        checkPrivateIpFree(call, target, ip.id);
        bind(ip, target);
      } else throw invalidParameter("privateIpId must be a private IP OCID or empty");
    }
    return withEtag(structuredClone(ip));
  });
}

/** DeletePublicIp: releases a reserved IP to the pool, or unassigns and deletes an ephemeral one. */
export function deletePublicIp(call: ApiCall): ApiResult {
  const { ctx } = call;
  return ctx.store.mutate(ctx.now(), (state) => {
    const ip = state.publicIps.find((p) => p.id === call.params[0]);
    if (!ip) throw notAuthorizedOrNotFound();
    authorize(ctx, call.principal, ip.compartmentId, "manage");
    checkIfMatch(call, ip);
    state.publicIps = state.publicIps.filter((p) => p !== ip);
    return { status: 204 };
  });
}

/** ListRouteTables: `compartmentId` required, `vcnId` filters. */
export function listRouteTables(call: ApiCall): ApiResult {
  const { ctx, query } = call;
  const compartmentId = query.get("compartmentId");
  if (compartmentId === undefined) throw missingParameter("compartmentId");
  authorize(ctx, call.principal, compartmentId, "read");
  const vcnId = query.get("vcnId");
  const items = ctx.store
    .read(ctx.now())
    .routeTables.filter(
      (t) => t.compartmentId === compartmentId && (vcnId === undefined || t.vcnId === vcnId),
    );
  return paginate(items, query);
}

/** GetRouteTable. */
export function getRouteTable(call: ApiCall): ApiResult {
  const table = call.ctx.store
    .read(call.ctx.now())
    .routeTables.find((t) => t.id === call.params[0]);
  if (!table) throw notAuthorizedOrNotFound();
  authorize(call.ctx, call.principal, table.compartmentId, "read");
  return withEtag(table);
}

/**
 * UpdateRouteTable: replaces `routeRules` (OCI replaces the whole list). A rule may target a
 * private IP by OCID; the target must exist (a private IP of the same VCN, in OCI).
 */
export function updateRouteTable(call: ApiCall): ApiResult {
  const { ctx } = call;
  const body = bodyObject(call.body, "UpdateRouteTableDetails");
  return ctx.store.mutate(ctx.now(), (state) => {
    const table = state.routeTables.find((t) => t.id === call.params[0]);
    if (!table) throw notAuthorizedOrNotFound();
    authorize(ctx, call.principal, table.compartmentId, "manage");
    checkIfMatch(call, table);
    const displayName = optionalString(body, "displayName");
    if (displayName !== undefined) table.displayName = displayName;
    if (body.routeRules !== undefined) {
      if (!Array.isArray(body.routeRules)) throw invalidParameter("routeRules must be a list");
      table.routeRules = body.routeRules.map((raw, i) => {
        const rule = routeRuleSchema.safeParse({ destinationType: "CIDR_BLOCK", ...raw });
        if (!rule.success)
          throw invalidParameter(`routeRules[${i}] needs destination and networkEntityId`);
        const target = rule.data.networkEntityId;
        if (target.startsWith("ocid1.privateip.") && !state.privateIps.some((p) => p.id === target))
          throw invalidParameter(`routeRules[${i}].networkEntityId ${target} is not a private IP`);
        return { ...rule.data, routeType: "STATIC" as const };
      });
    }
    return withEtag(structuredClone(table));
  });
}

/**
 * Where traffic matching a route rule goes now: the VNIC holding the targeted private IP, or
 * `blackhole` when that private IP no longer exists (what OCI does after DeletePrivateIp).
 */
export function ruleTarget(
  state: { privateIps: { id: string; vnicId?: string | undefined }[] },
  rule: { networkEntityId: string },
): { vnicId: string } | "blackhole" | "other" {
  if (!rule.networkEntityId.startsWith("ocid1.privateip.")) return "other";
  const ip = state.privateIps.find((p) => p.id === rule.networkEntityId);
  return ip?.vnicId ? { vnicId: ip.vnicId } : "blackhole";
}
