import { type ApiContext, callApi, callRead } from "./api.js";
import type { Deadline } from "./deadline.js";
import { OciVnicError } from "./errors.js";
import { type IpAddress, sameIp } from "./ip.js";

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
  const hits = items.filter((item) => sameIp(item.ipAddress, ip.address));
  if (hits.length > 1) {
    throw new OciVnicError(
      "UNEXPECTED",
      `${operation} returned ${hits.length} objects for ${ip.address}; expected at most one`,
      { operation },
    );
  }
  return hits[0] ? toRecord(hits[0]) : undefined;
}

/** {@link IpOps} for IPv4 (`/privateIps`). */
export function privateIpOps(api: ApiContext): IpOps {
  return {
    find: (deadline, ip, subnetId) =>
      callRead(api, deadline, {
        operation: "ListPrivateIps",
        path: "/privateIps",
        queryParams: { ipAddress: ip.address, subnetId },
        map: (body) => exactMatch(asItems(body, "ListPrivateIps"), ip, "ListPrivateIps"),
      }),
    get: (deadline, id) =>
      callRead(api, deadline, {
        operation: "GetPrivateIp",
        path: "/privateIps/{privateIpId}",
        pathParams: { "{privateIpId}": id },
        map: (body, headers) => ({
          record: toRecord(asItem(body, "GetPrivateIp")),
          etag: headers.get("etag") ?? undefined,
        }),
      }),
    create: (deadline, ip, vnicId) =>
      callApi(api, deadline, {
        operation: "CreatePrivateIp",
        kind: "write",
        invoke: async (c) => {
          const res = await c.createPrivateIp({
            createPrivateIpDetails: { vnicId, ipAddress: ip.address },
          });
          return toRecord(res.privateIp as RawIp);
        },
      }),
    move: (deadline, id, vnicId) =>
      callApi(api, deadline, {
        operation: "UpdatePrivateIp",
        kind: "write",
        invoke: async (c) => {
          const res = await c.updatePrivateIp({
            privateIpId: id,
            updatePrivateIpDetails: { vnicId },
          });
          return toRecord(res.privateIp as RawIp);
        },
      }),
    remove: (deadline, id, etag) =>
      callApi(api, deadline, {
        operation: "DeletePrivateIp",
        kind: "write",
        invoke: async (c) => {
          await c.deletePrivateIp({ privateIpId: id, ...(etag ? { ifMatch: etag } : {}) });
        },
      }),
  };
}

/** {@link IpOps} for IPv6 (`/ipv6`). */
export function ipv6Ops(api: ApiContext): IpOps {
  return {
    find: (deadline, ip, subnetId) =>
      callRead(api, deadline, {
        operation: "ListIpv6s",
        path: "/ipv6",
        queryParams: { ipAddress: ip.address, subnetId },
        map: (body) => exactMatch(asItems(body, "ListIpv6s"), ip, "ListIpv6s"),
      }),
    get: (deadline, id) =>
      callRead(api, deadline, {
        operation: "GetIpv6",
        path: "/ipv6/{ipv6Id}",
        pathParams: { "{ipv6Id}": id },
        map: (body, headers) => ({
          record: toRecord(asItem(body, "GetIpv6")),
          etag: headers.get("etag") ?? undefined,
        }),
      }),
    create: (deadline, ip, vnicId) =>
      callApi(api, deadline, {
        operation: "CreateIpv6",
        kind: "write",
        invoke: async (c) => {
          const res = await c.createIpv6({ createIpv6Details: { vnicId, ipAddress: ip.address } });
          return toRecord(res.ipv6 as RawIp);
        },
      }),
    move: (deadline, id, vnicId) =>
      callApi(api, deadline, {
        operation: "UpdateIpv6",
        kind: "write",
        invoke: async (c) => {
          const res = await c.updateIpv6({ ipv6Id: id, updateIpv6Details: { vnicId } });
          return toRecord(res.ipv6 as RawIp);
        },
      }),
    remove: (deadline, id, etag) =>
      callApi(api, deadline, {
        operation: "DeleteIpv6",
        kind: "write",
        invoke: async (c) => {
          await c.deleteIpv6({ ipv6Id: id, ...(etag ? { ifMatch: etag } : {}) });
        },
      }),
  };
}
