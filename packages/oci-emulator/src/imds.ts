import type { IncomingHttpHeaders } from "node:http";
import type { EmulatorContext } from "./context.js";
import { ApiError } from "./http-util.js";
import type { ResolvedInstance } from "./scenario.js";
import { isBareMetal, regionKey, stableOcid } from "./scenario.js";

/** A metadata service answer: JSON or plain text. */
export interface ImdsAnswer {
  status: number;
  text: string;
  contentType: string;
}

function instanceDocument(ctx: EmulatorContext, inst: ResolvedInstance): Record<string, unknown> {
  const s = ctx.scenario;
  const key = regionKey(s.region);
  return {
    availabilityDomain: inst.availabilityDomain,
    faultDomain: inst.faultDomain ?? "FAULT-DOMAIN-1",
    compartmentId: s.compartments.find((c) => c.name === inst.compartment)!.id,
    displayName: inst.name,
    hostname: inst.hostname ?? inst.name,
    id: inst.id,
    image: stableOcid("image", s.region, "oracle-linux"),
    metadata: {},
    region: key,
    canonicalRegionName: s.region,
    ociAdName: `${key}-ad-1`,
    regionInfo: {
      realmKey: "oc1",
      realmDomainComponent: "oraclecloud.com",
      regionKey: key.toUpperCase(),
      regionIdentifier: s.region,
    },
    shape: inst.shape ?? "VM.Standard.E4.Flex",
    state: "Running",
    tenantId: s.tenancy.id,
    timeCreated: Date.parse("2026-01-01T00:00:00Z"),
  };
}

/**
 * `/opc/v2/vnics/` as real instances return it (OCI docs "Getting instance metadata"; responses
 * in public fixtures such as cloud-init's Oracle data-source tests): MACs in upper case, a
 * non-zero `vlanTag`, `nicIndex` only on bare metal (the physical NIC, shared by VNICs), and an
 * IPv6-only VNIC without `privateIp` or `virtualRouterIp`, its `subnetCidrBlock` the string
 * "<null>".
 */
function vnicsDocument(ctx: EmulatorContext, inst: ResolvedInstance): Record<string, unknown>[] {
  const state = ctx.store.read(ctx.now());
  return inst.vnics.map((v) => {
    const subnet = state.subnets.find(
      (n) => n.id === ctx.scenario.subnets.find((sn) => sn.name === v.subnet)?.id,
    );
    const ipv6 = state.ipv6s
      .filter((p) => p.vnicId === v.id && p.lifecycleState === "AVAILABLE")
      .map((p) => p.ipAddress);
    const ipv4 = v.privateIp !== undefined;
    return {
      vnicId: v.id,
      ...(ipv4 ? { privateIp: v.privateIp } : {}),
      vlanTag: v.vlanTag,
      macAddr: v.macAddress,
      ...(ipv4 && subnet?.virtualRouterIp ? { virtualRouterIp: subnet.virtualRouterIp } : {}),
      subnetCidrBlock: ipv4 ? subnet?.cidrBlock : "<null>",
      ...(isBareMetal(inst.shape) && v.nicIndex !== undefined ? { nicIndex: v.nicIndex } : {}),
      ...(subnet?.ipv6CidrBlock
        ? {
            ipv6SubnetCidrBlock: subnet.ipv6CidrBlock,
            ipv6VirtualRouterIp: "fe80::200:17ff:fe00:1",
            ipv6Addresses: ipv6,
          }
        : {}),
    };
  });
}

function walk(document: unknown, parts: string[]): unknown {
  let node = document;
  for (const part of parts) {
    if (Array.isArray(node)) node = node[Number(part)];
    else if (node !== null && typeof node === "object")
      node = (node as Record<string, unknown>)[part];
    else return undefined;
  }
  return node;
}

/**
 * Headers that mark a proxied request. The metadata service rejects requests carrying any of them,
 * so a server-side request forgery through a proxy cannot read credentials (OCI docs "Getting
 * instance metadata": requests with `Forwarded`, `X-Forwarded-For` or `X-Forwarded-Host` are
 * rejected). The status is not documented; the emulator answers 403.
 */
export function forwardedHeader(headers: IncomingHttpHeaders): string | undefined {
  return Object.keys(headers).find((h) => h === "forwarded" || h.startsWith("x-forwarded-"));
}

/**
 * Answers `GET /opc/v2/<path>` for one instance (the `Authorization: Bearer Oracle` header is
 * required; proxied requests are refused).
 */
export function answerImds(
  ctx: EmulatorContext,
  inst: ResolvedInstance,
  path: string,
  headers: IncomingHttpHeaders,
): ImdsAnswer {
  const forwarded = forwardedHeader(headers);
  if (forwarded !== undefined) {
    throw new ApiError(
      403,
      "Forbidden",
      `the metadata service refuses proxied requests (header ${forwarded})`,
    );
  }
  if (headers.authorization !== "Bearer Oracle") {
    throw new ApiError(
      401,
      "NotAuthenticated",
      "Authorization: Bearer Oracle header is required (metadata service v2)",
    );
  }
  const leaf = ctx.leaves.get(inst.name)!;
  const parts = path.split("/").filter(Boolean);
  const [top, ...rest] = parts;
  if (top === "identity" && rest.length === 1) {
    const files: Record<string, string> = {
      "cert.pem": leaf.pem,
      "key.pem": leaf.key.privateKeyPem,
      "intermediate.pem": ctx.ca.intermediate.pem,
    };
    const text = files[rest[0]!];
    if (text !== undefined) return { status: 200, text, contentType: "text/plain" };
  }
  const document =
    top === "instance"
      ? instanceDocument(ctx, inst)
      : top === "vnics"
        ? vnicsDocument(ctx, inst)
        : undefined;
  const value = document === undefined ? undefined : walk(document, rest);
  if (value === undefined) throw new ApiError(404, "NotFound", `no metadata at /opc/v2/${path}`);
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    return { status: 200, text: String(value), contentType: "text/plain" };
  }
  return { status: 200, text: JSON.stringify(value, null, 2), contentType: "application/json" };
}
