import { createPublicKey, type KeyObject } from "node:crypto";
import type { EmulatorContext } from "./context.js";
import { ApiError, invalidParameter, notAuthenticated, parseJsonBody } from "./http-util.js";
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
 * `POST /v1/x509`: verifies the request is signed by the instance leaf key it presents
 * (keyId `<tenancy>/fed-x509/<sha1 fingerprint>`) and returns `{token}` for the session key.
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
    resolveKey: (keyId) => {
      if (!instance)
        return { reason: "the certificate is not an instance certificate this emulator issued" };
      const leaf = ctx.leaves.get(instance.name)!;
      const expected = `${ctx.scenario.tenancy.id}/fed-x509/${leaf.fingerprint}`;
      if (keyId.toLowerCase() !== expected.toLowerCase())
        return { reason: `keyId must be ${expected}` };
      return { key: leaf.key.publicKey, principal: instance };
    },
  });
  onVerdict(result.verdict);
  if (result.verdict !== "ok") throw notAuthenticated(result.reason);
  const body = parseJsonBody(request.body) as { publicKey?: unknown; purpose?: unknown };
  if (typeof body.publicKey !== "string")
    throw invalidParameter("publicKey is required (base64 DER SubjectPublicKeyInfo)");
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
