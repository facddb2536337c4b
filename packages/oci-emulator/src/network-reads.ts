import {
  type ApiCall,
  type ApiResult,
  paginate,
  subnetOr404,
  vnicOr404,
  withEtag,
} from "./api-common.js";
import { authorize } from "./context.js";
import { missingParameter, notAuthorizedOrNotFound } from "./http-util.js";

/** GetVnic, with `ipv6Addresses` from the VNIC's IPv6 records. */
export function getVnic(call: ApiCall): ApiResult {
  const state = call.ctx.store.read(call.ctx.now());
  const vnic = vnicOr404(state, call.params[0]);
  authorize(call.ctx, call.principal, vnic.compartmentId, "read");
  const ipv6Addresses = state.ipv6s
    .filter((p) => p.vnicId === vnic.id && p.lifecycleState === "AVAILABLE")
    .map((p) => p.ipAddress);
  return withEtag({ ...vnic, ipv6Addresses });
}

/** GetSubnet. */
export function getSubnet(call: ApiCall): ApiResult {
  const state = call.ctx.store.read(call.ctx.now());
  const subnet = subnetOr404(state, call.params[0]);
  authorize(call.ctx, call.principal, subnet.compartmentId, "read");
  return withEtag(subnet);
}

/** ListVnicAttachments (Compute): `compartmentId` required; filters instanceId, vnicId, availabilityDomain. */
export function listVnicAttachments(call: ApiCall): ApiResult {
  const { ctx, query } = call;
  const compartmentId = query.get("compartmentId");
  if (compartmentId === undefined) throw missingParameter("compartmentId");
  authorize(ctx, call.principal, compartmentId, "read");
  const state = ctx.store.read(ctx.now());
  const items = state.vnicAttachments.filter(
    (a) =>
      a.compartmentId === compartmentId &&
      (query.get("instanceId") === undefined || a.instanceId === query.get("instanceId")) &&
      (query.get("vnicId") === undefined || a.vnicId === query.get("vnicId")) &&
      (query.get("availabilityDomain") === undefined ||
        a.availabilityDomain === query.get("availabilityDomain")),
  );
  return paginate(items, query);
}

/** GetVnicAttachment (Compute). */
export function getVnicAttachment(call: ApiCall): ApiResult {
  const state = call.ctx.store.read(call.ctx.now());
  const attachment = state.vnicAttachments.find((a) => a.id === call.params[0]);
  if (!attachment) throw notAuthorizedOrNotFound();
  authorize(call.ctx, call.principal, attachment.compartmentId, "read");
  return withEtag(attachment);
}
