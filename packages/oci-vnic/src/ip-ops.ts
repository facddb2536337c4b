import { type ApiContext, callApi } from "./api.js";
import type { Deadline } from "./deadline.js";
import { OciVnicError } from "./errors.js";
import { type IpAddress, sameIp } from "./ip.js";
import type { Sdk } from "./sdk.js";

/** A private IP (IPv4) or IPv6 object as the VirtualNetwork API reports it. */
export interface IpRecord {
  /** OCID of the private IP / IPv6 object. */
  id: string;
  /** Its address, as the service spells it. */
  ipAddress: string;
  /** VNIC it is assigned to (undefined for a reserved, unassigned IP). */
  vnicId: string | undefined;
  /** Subnet it belongs to. */
  subnetId: string;
  /** True for a VNIC's primary private IP (never for IPv6). */
  isPrimary: boolean;
}

interface RawIp {
  id: string;
  ipAddress: string;
  vnicId?: string | undefined;
  subnetId: string;
  isPrimary?: boolean | undefined;
  lifecycleState?: string | undefined;
}

/**
 * An IPv6 being deleted (oci-core `Ipv6.lifecycleState` TERMINATING, then TERMINATED) is on its
 * way out: neither ours nor anyone's. Private IPv4 records have no lifecycle state.
 */
function isLeaving(raw: RawIp): boolean {
  return raw.lifecycleState === "TERMINATING" || raw.lifecycleState === "TERMINATED";
}

function toRecord(raw: RawIp): IpRecord {
  return {
    id: raw.id,
    ipAddress: raw.ipAddress,
    vnicId: raw.vnicId ?? undefined,
    subnetId: raw.subnetId,
    isPrimary: raw.isPrimary === true,
  };
}

/** The five calls `assign`/`release` need, for one address family. */
export interface IpOps {
  /** Exact match of `ip` in `subnetId` (one List request), or undefined. */
  find(deadline: Deadline, ip: IpAddress, subnetId: string): Promise<IpRecord | undefined>;
  /** Current state and etag of one object. */
  get(deadline: Deadline, id: string): Promise<{ record: IpRecord; etag: string | undefined }>;
  /** Creates `ip` on `vnicId`. */
  create(deadline: Deadline, ip: IpAddress, vnicId: string): Promise<IpRecord>;
  /** Moves object `id` to `vnicId` (same subnet). */
  move(deadline: Deadline, id: string, vnicId: string): Promise<IpRecord>;
  /** Deletes object `id`, only if its etag is still `etag` when given. */
  remove(deadline: Deadline, id: string, etag: string | undefined): Promise<void>;
}

function isRawIp(value: unknown): value is RawIp {
  const v = value as Partial<RawIp> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof v.id === "string" &&
    typeof v.ipAddress === "string" &&
    typeof v.subnetId === "string"
  );
}

function badBody(operation: string): OciVnicError {
  return new OciVnicError("UNEXPECTED", `${operation} returned a body of an unexpected shape`, {
    operation,
  });
}

function asItems(body: unknown, operation: string): RawIp[] {
  if (!Array.isArray(body) || !body.every(isRawIp)) throw badBody(operation);
  return body;
}

function asItem(body: unknown, operation: string): RawIp {
  if (!isRawIp(body)) throw badBody(operation);
  return body;
}

function exactMatch(items: RawIp[], ip: IpAddress, operation: string): IpRecord | undefined {
  // The API filters by address already; we still compare values, never substrings.
  const hits = items.filter((item) => sameIp(item.ipAddress, ip.address) && !isLeaving(item));
  if (hits.length > 1) {
    throw new OciVnicError(
      "UNEXPECTED",
      `${operation} returned ${hits.length} objects for ${ip.address}; expected at most one`,
      { operation },
    );
  }
  return hits[0] ? toRecord(hits[0]) : undefined;
}

/** How one address family's objects are named in the VirtualNetwork API. */
interface FamilyApi {
  /** Collection path: `/privateIps` or `/ipv6`. */
  collection: string;
  /** Path parameter of one object: `privateIpId` or `ipv6Id`. */
  idParam: string;
  /** Operation names: List, Get, Create, Update, Delete. */
  noun: { list: string; one: string };
}

/** The SDK models whose serializers build the Create and Update bodies. */
type DetailsModel =
  | "CreatePrivateIpDetails"
  | "UpdatePrivateIpDetails"
  | "CreateIpv6Details"
  | "UpdateIpv6Details";

/** A request body as oci-core's generated client serializes it (`ObjectSerializer` + model). */
function body(sdk: Sdk, model: DetailsModel, value: { vnicId: string; ipAddress?: string }) {
  return sdk.ObjectSerializer.serialize(value, model, sdk[model].getJsonObj);
}

function opsFor(api: ApiContext, family: FamilyApi): IpOps {
  const one = `${family.collection}/{${family.idParam}}`;
  const byId = (id: string) => ({ [`{${family.idParam}}`]: id });
  const details = (verb: "Create" | "Update") => `${verb}${family.noun.one}Details` as DetailsModel;
  const list = `List${family.noun.list}`;
  const get = `Get${family.noun.one}`;
  const create = `Create${family.noun.one}`;
  const update = `Update${family.noun.one}`;
  const remove = `Delete${family.noun.one}`;
  return {
    find: (deadline, ip, subnetId) =>
      callApi(api, deadline, {
        operation: list,
        method: "GET",
        path: family.collection,
        queryParams: { ipAddress: ip.address, subnetId },
        map: (body) => exactMatch(asItems(body, list), ip, list),
      }),
    get: (deadline, id) =>
      callApi(api, deadline, {
        operation: get,
        method: "GET",
        path: one,
        pathParams: byId(id),
        map: (body, headers) => ({
          record: toRecord(asItem(body, get)),
          etag: headers.get("etag") ?? undefined,
        }),
      }),
    create: (deadline, ip, vnicId) =>
      callApi(api, deadline, {
        operation: create,
        method: "POST",
        path: family.collection,
        body: (sdk) => body(sdk, details("Create"), { vnicId, ipAddress: ip.address }),
        map: (body) => toRecord(asItem(body, create)),
      }),
    move: (deadline, id, vnicId) =>
      callApi(api, deadline, {
        operation: update,
        method: "PUT",
        path: one,
        pathParams: byId(id),
        body: (sdk) => body(sdk, details("Update"), { vnicId }),
        map: (body) => toRecord(asItem(body, update)),
      }),
    remove: (deadline, id, etag) =>
      callApi(api, deadline, {
        operation: remove,
        method: "DELETE",
        path: one,
        pathParams: byId(id),
        headerParams: { "if-match": etag },
        map: () => undefined,
      }),
  };
}

/** {@link IpOps} for IPv4 (`/privateIps`). */
export function privateIpOps(api: ApiContext): IpOps {
  return opsFor(api, {
    collection: "/privateIps",
    idParam: "privateIpId",
    noun: { list: "PrivateIps", one: "PrivateIp" },
  });
}

/** {@link IpOps} for IPv6 (`/ipv6`). */
export function ipv6Ops(api: ApiContext): IpOps {
  return opsFor(api, {
    collection: "/ipv6",
    idParam: "ipv6Id",
    noun: { list: "Ipv6s", one: "Ipv6" },
  });
}
