import type { ApiHandler } from "./api-common.js";
import { getInstance, instanceAction, listInstances } from "./compute.js";
import { createIpv6, deleteIpv6, getIpv6, listIpv6s, updateIpv6 } from "./ipv6s.js";
import { getSubnet, getVnic, getVnicAttachment, listVnicAttachments } from "./network-reads.js";
import {
  createPrivateIp,
  deletePrivateIp,
  getPrivateIp,
  listPrivateIps,
  updatePrivateIp,
} from "./private-ips.js";
import {
  createPublicIp,
  deletePublicIp,
  getPublicIp,
  getPublicIpByPrivateIpId,
  getRouteTable,
  listPublicIps,
  listRouteTables,
  updatePublicIp,
  updateRouteTable,
} from "./public-ips.js";

interface Route {
  method: string;
  pattern: RegExp;
  operation: string;
  handler: ApiHandler;
}

const id = "([^/]+)";
const routes: Route[] = [
  {
    method: "GET",
    pattern: new RegExp(`^/20160918/vnics/${id}$`),
    operation: "GetVnic",
    handler: getVnic,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/20160918/subnets/${id}$`),
    operation: "GetSubnet",
    handler: getSubnet,
  },
  {
    method: "GET",
    pattern: /^\/20160918\/privateIps$/,
    operation: "ListPrivateIps",
    handler: listPrivateIps,
  },
  {
    method: "POST",
    pattern: /^\/20160918\/privateIps$/,
    operation: "CreatePrivateIp",
    handler: createPrivateIp,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/20160918/privateIps/${id}$`),
    operation: "GetPrivateIp",
    handler: getPrivateIp,
  },
  {
    method: "PUT",
    pattern: new RegExp(`^/20160918/privateIps/${id}$`),
    operation: "UpdatePrivateIp",
    handler: updatePrivateIp,
  },
  {
    method: "DELETE",
    pattern: new RegExp(`^/20160918/privateIps/${id}$`),
    operation: "DeletePrivateIp",
    handler: deletePrivateIp,
  },
  { method: "GET", pattern: /^\/20160918\/ipv6$/, operation: "ListIpv6s", handler: listIpv6s },
  { method: "POST", pattern: /^\/20160918\/ipv6$/, operation: "CreateIpv6", handler: createIpv6 },
  {
    method: "GET",
    pattern: new RegExp(`^/20160918/ipv6/${id}$`),
    operation: "GetIpv6",
    handler: getIpv6,
  },
  {
    method: "PUT",
    pattern: new RegExp(`^/20160918/ipv6/${id}$`),
    operation: "UpdateIpv6",
    handler: updateIpv6,
  },
  {
    method: "DELETE",
    pattern: new RegExp(`^/20160918/ipv6/${id}$`),
    operation: "DeleteIpv6",
    handler: deleteIpv6,
  },
  {
    method: "GET",
    pattern: /^\/20160918\/vnicAttachments$/,
    operation: "ListVnicAttachments",
    handler: listVnicAttachments,
  },
  {
    method: "GET",
    pattern: /^\/20160918\/instances$/,
    operation: "ListInstances",
    handler: listInstances,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/20160918/instances/${id}$`),
    operation: "GetInstance",
    handler: getInstance,
  },
  {
    method: "POST",
    pattern: new RegExp(`^/20160918/instances/${id}$`),
    operation: "InstanceAction",
    handler: instanceAction,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/20160918/vnicAttachments/${id}$`),
    operation: "GetVnicAttachment",
    handler: getVnicAttachment,
  },
  ...[
    ["GET", "/publicIps", "ListPublicIps", listPublicIps],
    ["POST", "/publicIps", "CreatePublicIp", createPublicIp],
    [
      "POST",
      "/publicIps/actions/getByPrivateIpId",
      "GetPublicIpByPrivateIpId",
      getPublicIpByPrivateIpId,
    ],
    ["GET", `/publicIps/${id}`, "GetPublicIp", getPublicIp],
    ["PUT", `/publicIps/${id}`, "UpdatePublicIp", updatePublicIp],
    ["DELETE", `/publicIps/${id}`, "DeletePublicIp", deletePublicIp],
    ["GET", "/routeTables", "ListRouteTables", listRouteTables],
    ["GET", `/routeTables/${id}`, "GetRouteTable", getRouteTable],
    ["PUT", `/routeTables/${id}`, "UpdateRouteTable", updateRouteTable],
  ].map(([method, path, operation, handler]) => ({
    method: method as string,
    pattern: new RegExp(`^/20160918${path as string}$`),
    operation: operation as string,
    handler: handler as ApiHandler,
  })),
];

/** A routed API request, or the reason it matched nothing. */
export type RouteMatch =
  | { operation: string; handler: ApiHandler; params: string[] }
  | { operation: "Unknown"; status: 404 | 405 };

/** Finds the VirtualNetwork/Compute operation for a method and path. */
export function matchRoute(method: string, path: string): RouteMatch {
  let pathMatched = false;
  for (const route of routes) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (route.method !== method) continue;
    const params = m.slice(1).map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    });
    return { operation: route.operation, handler: route.handler, params };
  }
  return { operation: "Unknown", status: pathMatched ? 405 : 404 };
}
