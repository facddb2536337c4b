import { createHash, createPublicKey, type KeyObject } from "node:crypto";
import type { EmulatorContext } from "./context.js";
import {
  ApiError,
  invalidParameter,
  missingParameter,
  notAuthenticated,
  parseJsonBody,
} from "./http-util.js";
import type { ResolvedInstance } from "./scenario.js";
import { type SignatureVerdict, type SignedRequest, verifySignature } from "./signature.js";

/** Finds the instance whose leaf certificate a federation request carries (for fault matching). */
export function federationInstance(
  ctx: EmulatorContext,
  body: Buffer,
): ResolvedInstance | undefined {
  try {
    const certificate = (JSON.parse(body.toString()) as { certificate?: unknown }).certificate;
    if (typeof certificate !== "string") return undefined;
    for (const inst of ctx.scenario.instances) {
      if (ctx.leaves.get(inst.name)?.der.toString("base64") === certificate) return inst;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * Key ids the federation service accepts for a leaf certificate: `<tenancy>/fed-x509/<SHA-1>`
 * (TypeScript, Java SDKs) and `<tenancy>/fed-x509-sha256/<SHA-256>` (newer Python and Go SDKs),
 * both as lower-case hex with colons (oci-python-sdk `auth/federation_client.py`, oci-go-sdk
 * `common/auth/federation_client.go`).
 */
export function federationKeyIds(tenancyId: string, der: Buffer): string[] {
  const hex = (algorithm: string) =>
    createHash(algorithm).update(der).digest("hex").match(/../g)!.join(":");
  return [`${tenancyId}/fed-x509/${hex("sha1")}`, `${tenancyId}/fed-x509-sha256/${hex("sha256")}`];
}

/**
 * Headers a federation request must sign. The TypeScript SDK also signs `host`; the Python and Go
 * SDKs do not ("host is not needed for the federation endpoint"), and the real service accepts
 * both, so `host` is optional here.
 */
export const federationSignedHeaders = [
  "(request-target)",
  "content-length",
  "content-type",
  "x-content-sha256",
];

/**
 * `POST /v1/x509`: verifies the request is signed by the instance leaf key it presents (see
 * {@link federationKeyIds}) and returns `{token}` for the session key.
 */
export function federate(
  ctx: EmulatorContext,
  request: SignedRequest,
  onVerdict: (verdict: SignatureVerdict) => void,
): { instance: ResolvedInstance; token: string } {
  const instance = federationInstance(ctx, request.body);
  const result = verifySignature(request, {
    now: ctx.now(),
    maxSkewMs: ctx.scenario.maxClockSkewSeconds * 1000,
    required: federationSignedHeaders,
    resolveKey: (keyId) => {
      if (!instance)
        return { reason: "the certificate is not an instance certificate this emulator issued" };
      const leaf = ctx.leaves.get(instance.name)!;
      const accepted = federationKeyIds(ctx.scenario.tenancy.id, leaf.der);
      if (!accepted.some((id) => id.toLowerCase() === keyId.toLowerCase()))
        return { reason: `keyId must be one of ${accepted.join(", ")}` };
      return { key: leaf.key.publicKey, principal: instance };
    },
  });
  onVerdict(result.verdict);
  if (result.verdict !== "ok") throw notAuthenticated(result.reason);
  const body = parseJsonBody(request.body) as { publicKey?: unknown; purpose?: unknown };
  if (body.publicKey === undefined || body.publicKey === null)
    throw missingParameter("publicKey (base64 DER SubjectPublicKeyInfo)");
  if (typeof body.publicKey !== "string")
    throw invalidParameter("publicKey must be a base64 DER SubjectPublicKeyInfo string");
  let sessionKey: KeyObject;
  try {
    sessionKey = createPublicKey({
      key: Buffer.from(body.publicKey, "base64"),
      format: "der",
      type: "spki",
    });
  } catch {
    throw invalidParameter("publicKey is not a base64 DER SubjectPublicKeyInfo");
  }
  if (sessionKey.asymmetricKeyType !== "rsa")
    throw new ApiError(400, "InvalidParameter", "publicKey must be an RSA key");
  const token = ctx.tokens.issue({
    instanceId: instance!.id,
    tenancyId: ctx.scenario.tenancy.id,
    compartmentId: ctx.scenario.compartments.find((c) => c.name === instance!.compartment)!.id,
    sessionKey,
    nowSeconds: Math.floor(ctx.now() / 1000),
    ttlSeconds: ctx.scenario.sessionTokenTtlSeconds,
  });
  return { instance: instance!, token };
}
