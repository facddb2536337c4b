import { createHash, randomBytes } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { authorize, type EmulatorContext, type Principal } from "./context.js";
import { ApiError, invalidParameter, notAuthorizedOrNotFound } from "./http-util.js";
import { regionKey } from "./scenario.js";
import type { EmulatorState, SubnetRecord, VnicRecord } from "./state.js";

/** One API call after routing, authentication and body parsing. */
export interface ApiCall {
  ctx: EmulatorContext;
  principal: Principal;
  params: string[];
  query: Map<string, string>;
  body: unknown;
  headers: IncomingHttpHeaders;
}

/** What a handler answers. */
export interface ApiResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** An operation handler. */
export type ApiHandler = (call: ApiCall) => ApiResult;

/** A strong etag of a record's JSON. */
export function etagOf(record: unknown): string {
  return createHash("sha1").update(JSON.stringify(record)).digest("hex");
}

/** 200 with the record and its etag. */
export function withEtag(record: unknown): ApiResult {
  return { status: 200, body: record, headers: { etag: etagOf(record) } };
}

/** Honours `if-match` as OCI does: 412 NoEtagMatch when it differs. */
export function checkIfMatch(call: ApiCall, record: unknown): void {
  const ifMatch = call.headers["if-match"];
  if (typeof ifMatch === "string" && ifMatch !== "" && ifMatch !== etagOf(record)) {
    throw new ApiError(
      412,
      "NoEtagMatch",
      "The resource's etag does not match the if-match header.",
    );
  }
}

/** A VNIC or OCI's hidden 404. */
export function vnicOr404(state: EmulatorState, id: string | undefined): VnicRecord {
  const vnic = state.vnics.find((v) => v.id === id);
  if (!vnic || vnic.lifecycleState === "TERMINATED") throw notAuthorizedOrNotFound();
  return vnic;
}

/** A subnet or OCI's hidden 404. */
export function subnetOr404(state: EmulatorState, id: string | undefined): SubnetRecord {
  const subnet = state.subnets.find((s) => s.id === id);
  if (!subnet) throw notAuthorizedOrNotFound();
  return subnet;
}

/** A fresh OCID for a created resource. */
export function newOcid(ctx: EmulatorContext, kind: string): string {
  return `ocid1.${kind}.oc1.${regionKey(ctx.scenario.region)}.aaaaaaaa${randomBytes(26).toString("hex")}`;
}

/** Applies `limit` and `page` (an opaque offset) and sets `opc-next-page` when more remain. */
export function paginate<T>(items: T[], query: Map<string, string>): ApiResult {
  const limitText = query.get("limit");
  const limit = limitText === undefined ? 100 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw invalidParameter(`limit must be an integer from 1 to 1000, got "${limitText}"`);
  }
  const pageText = query.get("page");
  const start = pageText === undefined ? 0 : Number(pageText);
  if (!Number.isInteger(start) || start < 0)
    throw invalidParameter(`page "${pageText}" is not a page token from this API`);
  const slice = items.slice(start, start + limit);
  const headers: Record<string, string> = {};
  if (start + limit < items.length) headers["opc-next-page"] = String(start + limit);
  return { status: 200, body: slice, headers };
}

/** A body field that must be a string when present. */
export function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string")
    throw invalidParameter(`${key} must be a string, got ${typeof value}`);
  return value;
}

/** The body as an object; anything else is 400. */
export function bodyObject(body: unknown, what: string): Record<string, unknown> {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw invalidParameter(`the request body must be a JSON object (${what})`);
  }
  return body as Record<string, unknown>;
}

/** Replays a create carrying an `opc-retry-token` seen in the last 24 hours. */
export function retryReplay(call: ApiCall): ApiResult | undefined {
  const token = call.headers["opc-retry-token"];
  if (typeof token !== "string") return undefined;
  const hit = call.ctx.retryTokens.get(token);
  if (!hit || call.ctx.now() - hit.at > 86_400_000) return undefined;
  return { status: hit.status, body: hit.body, headers: hit.headers };
}

/** Remembers a create's result under its `opc-retry-token`. */
export function rememberRetry(call: ApiCall, result: ApiResult): ApiResult {
  const token = call.headers["opc-retry-token"];
  if (typeof token === "string") {
    if (call.ctx.retryTokens.size > 10_000) call.ctx.retryTokens.clear();
    call.ctx.retryTokens.set(token, {
      at: call.ctx.now(),
      status: result.status,
      body: result.body,
      headers: result.headers ?? {},
    });
  }
  return result;
}

/**
 * The VNIC an update moves an address to: the caller may manage it, it is in the address's subnet
 * (OCI moves stay within a subnet), and `checkLimit` accepts one more address on it.
 */
export function moveTarget(
  call: ApiCall,
  state: EmulatorState,
  address: { id: string; subnetId: string },
  vnicId: string,
  options: { noun: string; checkLimit: (targetVnicId: string) => void },
): VnicRecord {
  const target = vnicOr404(state, vnicId);
  authorize(call.ctx, call.principal, target.compartmentId, "manage");
  if (target.subnetId !== address.subnetId) {
    throw invalidParameter(
      `VNIC ${vnicId} is not in subnet ${address.subnetId} of ${options.noun} ${address.id}; moves stay within a subnet`,
    );
  }
  options.checkLimit(target.id);
  return target;
}
