import { createHash, type KeyObject, verify } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

/** The verdict recorded in the request log for each request's signature. */
export type SignatureVerdict = "ok" | "missing" | "invalid" | "n/a";

/** The parts of a draft-cavage `Authorization: Signature ...` header. */
export interface ParsedSignature {
  keyId: string;
  algorithm: string;
  headers: string[];
  signature: Buffer;
}

/** What {@link verifySignature} checks a request against. */
export interface SignedRequest {
  method: string;
  /** Path and query exactly as received (the request-target). */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A check result: ok, or why not. */
export type SignatureResult<P> =
  | { verdict: "ok"; principal: P }
  | { verdict: "missing" | "invalid"; reason: string };

const emptyBodyDigest = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";

/** Parses `Signature version="1",keyId="...",algorithm="rsa-sha256",headers="...",signature="..."`. */
export function parseAuthorization(value: string): ParsedSignature | undefined {
  const match = /^Signature\s+(.*)$/s.exec(value.trim());
  if (!match) return undefined;
  const params = new Map<string, string>();
  for (const part of (match[1] ?? "").matchAll(/([A-Za-z]+)="([^"]*)"/g)) {
    params.set((part[1] ?? "").toLowerCase(), part[2] ?? "");
  }
  const keyId = params.get("keyid");
  const signature = params.get("signature");
  if (!keyId || !signature) return undefined;
  return {
    keyId,
    algorithm: params.get("algorithm") ?? "rsa-sha256",
    headers: (params.get("headers") ?? "date").toLowerCase().split(/\s+/).filter(Boolean),
    signature: Buffer.from(signature, "base64"),
  };
}

/** Headers OCI requires in the signature for a method (besides `date` or `x-date`). */
export function requiredHeaders(method: string): string[] {
  const base = ["(request-target)", "host"];
  return ["POST", "PUT", "PATCH"].includes(method.toUpperCase())
    ? [...base, "content-length", "content-type", "x-content-sha256"]
    : base;
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

/** Builds the draft-cavage signing string for the listed headers. */
export function signingString(request: SignedRequest, names: string[]): string | undefined {
  const lines: string[] = [];
  for (const name of names) {
    if (name === "(request-target)") {
      lines.push(`(request-target): ${request.method.toLowerCase()} ${request.url}`);
      continue;
    }
    const value = headerValue(request.headers, name);
    if (value === undefined) return undefined;
    lines.push(`${name}: ${value}`);
  }
  return lines.join("\n");
}

/** Options of {@link verifySignature}. */
export interface VerifyOptions<P> {
  now: number;
  maxSkewMs: number;
  /** Finds the public key and principal for a keyId, or says why it is unknown. */
  resolveKey: (keyId: string) => { key: KeyObject; principal: P } | { reason: string };
  /** Headers the signature must cover (besides a date); default {@link requiredHeaders}. */
  required?: string[];
}

/** Verifies a request's signature, required headers, body digest and date. */
export function verifySignature<P>(
  request: SignedRequest,
  options: VerifyOptions<P>,
): SignatureResult<P> {
  const authorization = headerValue(request.headers, "authorization");
  if (!authorization) return { verdict: "missing", reason: "no Authorization header" };
  const parsed = parseAuthorization(authorization);
  if (!parsed)
    return {
      verdict: "invalid",
      reason: "Authorization is not a Signature with keyId and signature",
    };
  if (parsed.algorithm !== "rsa-sha256") {
    return { verdict: "invalid", reason: `algorithm ${parsed.algorithm} is not rsa-sha256` };
  }
  const dateHeader = parsed.headers.includes("x-date")
    ? "x-date"
    : parsed.headers.includes("date")
      ? "date"
      : undefined;
  if (!dateHeader)
    return { verdict: "invalid", reason: "the signature covers neither date nor x-date" };
  const required = options.required ?? requiredHeaders(request.method);
  const missing = required.filter((h) => !parsed.headers.includes(h));
  if (missing.length > 0)
    return { verdict: "invalid", reason: `the signature must cover ${missing.join(", ")}` };
  const date = Date.parse(headerValue(request.headers, dateHeader) ?? "");
  if (Number.isNaN(date))
    return { verdict: "invalid", reason: `${dateHeader} is not an HTTP date` };
  if (Math.abs(options.now - date) > options.maxSkewMs) {
    return {
      verdict: "invalid",
      reason: `${dateHeader} is more than ${options.maxSkewMs / 1000} s from the server clock`,
    };
  }
  if (parsed.headers.includes("x-content-sha256")) {
    const digest =
      request.body.length === 0
        ? emptyBodyDigest
        : createHash("sha256").update(request.body).digest("base64");
    if (headerValue(request.headers, "x-content-sha256") !== digest) {
      return { verdict: "invalid", reason: "x-content-sha256 does not match the body" };
    }
  }
  if (parsed.headers.includes("content-length")) {
    if (Number(headerValue(request.headers, "content-length")) !== request.body.length) {
      return { verdict: "invalid", reason: "content-length does not match the body" };
    }
  }
  const text = signingString(request, parsed.headers);
  if (text === undefined)
    return { verdict: "invalid", reason: "a signed header is absent from the request" };
  const resolved = options.resolveKey(parsed.keyId);
  if ("reason" in resolved) return { verdict: "invalid", reason: resolved.reason };
  let good = false;
  try {
    good = verify("sha256", Buffer.from(text), resolved.key, parsed.signature);
  } catch {
    good = false;
  }
  if (!good)
    return {
      verdict: "invalid",
      reason: "the signature does not verify with the key of the keyId",
    };
  return { verdict: "ok", principal: resolved.principal };
}
