import { createPrivateKey } from "node:crypto";
import type { HttpRequest, RequestSigner } from "oci-common";
import type { CacheStore } from "./cache-store.js";
import type { RequestCounters } from "./counters.js";
import { allOrAbandon, type Deadline, raceDeadline } from "./deadline.js";
import { type Classified, clockSkewNote, parseRetryAfter } from "./error-map.js";
import { isOciVnicError, OciVnicError, truncate } from "./errors.js";
import type { HttpResponse } from "./http.js";
import type { ImdsClient } from "./imds.js";
import type { ProxySettings } from "./proxy.js";
import { defaultRetryPolicy, type RetryPolicy, runWithRetries } from "./retry.js";
import { loadSdk } from "./sdk.js";
import { generateSessionKey, PregeneratedSessionKeySupplier } from "./session-keys.js";
import { signedHttpClient } from "./signed-http.js";

/** File in the cache directory holding the instance-principal session (mode 0600). */
export const sessionFileName = "oci-vnic-session.json";

/** A federated session: the token and the private key it is bound to. */
export interface Session {
  token: string;
  privateKeyPem: string;
  /** When the token expires, epoch ms. */
  expiresAt: number;
  /** When we stop using it and federate again, epoch ms (a margin before expiry). */
  refreshAt: number;
}

interface SessionFile extends Session {
  version: 1;
  metadataUrl: string;
  federationEndpoint: string;
}

/** Reads `exp`/`iat` (seconds) from a JWT without verifying it, as the SDK does. */
export function decodeTokenTimes(token: string): { exp: number; iat: number | undefined } {
  const payload = token.split(".")[1];
  if (payload === undefined) throw new Error("security token is not a JWT");
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as {
    exp?: unknown;
    iat?: unknown;
  };
  if (typeof claims.exp !== "number") throw new Error("security token has no exp claim");
  return { exp: claims.exp, iat: typeof claims.iat === "number" ? claims.iat : undefined };
}

/** Builds a {@link Session}, refreshing at 90 % of its life but at most 60 s before expiry. */
export function toSession(token: string, privateKeyPem: string, now: number): Session {
  const { exp, iat } = decodeTokenTimes(token);
  const expiresAt = exp * 1000;
  const lifetime = expiresAt - (iat !== undefined ? iat * 1000 : now);
  const margin = Math.min(60_000, Math.max(0, lifetime) * 0.1);
  return { token, privateKeyPem, expiresAt, refreshAt: expiresAt - margin };
}

/** True when `pem` is a private key this process can sign with. */
function usableKey(pem: string): boolean {
  try {
    return createPrivateKey(pem).asymmetricKeyType === "rsa";
  } catch {
    return false;
  }
}

/** Options of {@link createSessionSource}. */
export interface SessionSourceOptions {
  imds: ImdsClient;
  federationEndpoint: (deadline: Deadline) => Promise<string>;
  cache: CacheStore;
  counters: RequestCounters;
  /** Retries of the federation request (5xx, 429, transport errors), within the deadline. */
  policy?: RetryPolicy | undefined;
  /** Proxy settings for the federation request (see proxy.ts). */
  proxy?: ProxySettings | undefined;
  now?: () => number;
}

/** Gives a valid instance-principal session: from memory, the cache file, or a new federation. */
export interface SessionSource {
  /** A session valid now; federates only when none is cached or the cached one is expiring. */
  get(deadline: Deadline): Promise<Session>;
  /** Forgets the session (memory and file), e.g. after the API answered 401. */
  discard(): Promise<void>;
  /** The session in memory, if any (for the synchronous signer callbacks). */
  current(): Session | undefined;
}

/** Creates a {@link SessionSource}; nothing happens until `get` is called. */
export function createSessionSource(options: SessionSourceOptions): SessionSource {
  const now = options.now ?? Date.now;
  let session: Session | undefined;
  let pending: Promise<Session> | undefined;

  const fromCache = async (federationEndpoint: string): Promise<Session | undefined> => {
    const { sessionFileSchema } = await import("./cache-schema.js");
    const file = await options.cache.read(sessionFileName, sessionFileSchema);
    if (!file) return undefined;
    if (!usableKey(file.privateKeyPem)) {
      // A session whose key cannot sign is worthless: federate again (and overwrite it).
      await options.cache.remove(sessionFileName);
      return undefined;
    }
    if (file.metadataUrl !== options.imds.baseUrl) return undefined;
    if (file.federationEndpoint !== federationEndpoint) return undefined;
    if (file.refreshAt <= now()) return undefined;
    const { token, privateKeyPem, expiresAt, refreshAt } = file;
    return { token, privateKeyPem, expiresAt, refreshAt };
  };

  const federate = async (deadline: Deadline, federationEndpoint: string): Promise<Session> => {
    // The key is generated in the thread pool while the certificates are fetched.
    const keyPromise = generateSessionKey();
    keyPromise.catch(() => undefined);
    // The first of the three to fail stops the other two (no request outlives a failed call).
    const [certPem, keyPem, intermediatePem, sdk] = await allOrAbandon<
      [string, string, string, Awaited<ReturnType<typeof loadSdk>>]
    >(deadline, [
      (d) => options.imds.getText("identity/cert.pem", d),
      (d) => options.imds.getText("identity/key.pem", d),
      (d) => options.imds.getText("identity/intermediate.pem", d),
      () => loadSdk(),
    ]);
    let leaf: { getCertificate(): unknown; getPrivateKey(): unknown };
    let intermediate: { getCertificate(): unknown; getPrivateKey(): null };
    try {
      const cert = sdk.parseCertificate(certPem, "pem");
      const key = sdk.parsePrivateKey(keyPem, "auto");
      const inter = sdk.parseCertificate(intermediatePem, "pem");
      leaf = { getCertificate: () => cert, getPrivateKey: () => key };
      intermediate = { getCertificate: () => inter, getPrivateKey: () => null };
    } catch (e) {
      throw new OciVnicError(
        "METADATA_UNAVAILABLE",
        "the instance identity certificate or key from the metadata service cannot be parsed",
        { operation: "Imds" },
        { cause: e },
      );
    }
    const supplier = new PregeneratedSessionKeySupplier(await keyPromise);
    // The SDK's builder and federation client do the signed POST /v1/x509; we only feed them
    // certificates we fetched with timeouts, and a session key generated once.
    const builder = new sdk.InstancePrincipalsAuthenticationDetailsProviderBuilder();
    builder.metadataBaseUrl = options.imds.baseUrl;
    builder.federationEndpoint = federationEndpoint;
    builder.leafCertificateSupplier = { getCertificateAndKeyPair: () => leaf } as never;
    builder.intermediateCertificateSuppliers = [
      { getCertificateAndKeyPair: () => intermediate },
    ] as never;
    builder.sessionKeySupplier = supplier as never;
    let keyId: string;
    try {
      const provider = await builder.build();
      const failed = adaptFederationHttp(provider, {
        counters: options.counters,
        federationEndpoint,
        deadline,
        policy: options.policy ?? defaultRetryPolicy,
        proxy: options.proxy,
      });
      keyId = await raceDeadline(
        Promise.race([provider.getKeyId(), failed]),
        deadline,
        "Federation",
      );
    } catch (e) {
      if (e instanceof OciVnicError && e.code !== "FEDERATION_FAILED") throw e;
      const interrupted = deadline.interruption("Federation", e);
      if (interrupted) throw interrupted;
      const text = String((e as { message?: unknown })?.message ?? e);
      throw new OciVnicError(
        "FEDERATION_FAILED",
        `could not obtain an instance-principal token from ${federationEndpoint}: ${truncate(text, 200)}`,
        { operation: "Federation" },
        { cause: e },
      );
    }
    let fresh: Session;
    try {
      fresh = toSession(keyId.replace(/^ST\$/, ""), supplier.privateKeyPem(), now());
    } catch (e) {
      throw new OciVnicError(
        "FEDERATION_FAILED",
        `the federation endpoint ${federationEndpoint} returned an unusable token (${String(e)})`,
        { operation: "Federation" },
        { cause: e },
      );
    }
    const file: SessionFile = {
      version: 1,
      metadataUrl: options.imds.baseUrl,
      federationEndpoint,
      ...fresh,
    };
    await options.cache.write(sessionFileName, file);
    return fresh;
  };

  const obtain = async (deadline: Deadline): Promise<Session> => {
    const federationEndpoint = await options.federationEndpoint(deadline);
    return (await fromCache(federationEndpoint)) ?? (await federate(deadline, federationEndpoint));
  };

  return {
    async get(deadline) {
      if (session && session.refreshAt > now()) return session;
      pending ??= obtain(deadline).finally(() => {
        pending = undefined;
      });
      session = await pending;
      return session;
    },
    async discard() {
      session = undefined;
      await options.cache.remove(sessionFileName);
    },
    current: () => session,
  };
}

/** A federation answer worth another attempt (5xx, 429), kept to hand back if none is left. */
class RetryableFederationAnswer extends Error {
  readonly response: HttpResponse;
  constructor(response: HttpResponse) {
    super(`HTTP ${response.status}`);
    this.response = response;
  }
}

function classifyFederation(thrown: unknown, deadline: Deadline): Classified {
  const interrupted = deadline.interruption("Federation", thrown);
  if (interrupted) return { error: interrupted, transience: "none", retryAfterMs: undefined };
  // Signing failures, a refused URL, clock skew: final, reported as they are.
  if (thrown instanceof OciVnicError) {
    return { error: thrown, transience: "none", retryAfterMs: undefined };
  }
  const error = new OciVnicError(
    "FEDERATION_FAILED",
    `federation attempt failed: ${thrown instanceof Error ? thrown.message : String(thrown)}`,
    { operation: "Federation" },
    { cause: thrown },
  );
  const retryAfterMs =
    thrown instanceof RetryableFederationAnswer
      ? parseRetryAfter(thrown.response.headers.get("retry-after") ?? undefined)
      : undefined;
  return { error, transience: "unknown", retryAfterMs };
}

/** What {@link adaptFederationHttp} needs. */
interface FederationHttpOptions {
  counters: RequestCounters;
  federationEndpoint: string;
  deadline: Deadline;
  policy: RetryPolicy;
  proxy: ProxySettings | undefined;
}

/**
 * Adapts the SDK federation client's HTTP client (duck-typed: if a future SDK hides it, only
 * these extras are lost): refuses any URL other than the configured federation endpoint, and
 * sends through our signed HTTP client (Node's `http`, see signed-http.ts) with the SDK's own
 * federation signer, retrying 5xx, 429 and transport errors with backoff until the deadline (the
 * SDK itself tries 3 times within about 2 s), each attempt counted and abortable, so a hanging
 * federation endpoint is really abandoned at the deadline instead of keeping the process alive.
 * The SDK sees one answer: the success, or the last failure.
 */
function adaptFederationHttp(provider: unknown, options: FederationHttpOptions): Promise<never> {
  const { counters, federationEndpoint, deadline, policy, proxy } = options;
  let rejectFailed: (error: OciVnicError) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => {
    rejectFailed = reject;
  });
  failed.catch(() => undefined);
  const http = (
    provider as { federationClient?: { httpClient?: { send?: unknown; signer?: unknown } } }
  ).federationClient?.httpClient;
  if (!http || typeof http.send !== "function") return failed;
  const original = http.send.bind(http) as (req: { uri: string }, ...rest: unknown[]) => unknown;
  const signer = http.signer as RequestSigner | null | undefined;
  http.send = (req: { uri: string }, ...rest: unknown[]) => {
    if (!req.uri.startsWith(federationEndpoint)) {
      throw new OciVnicError(
        "INVALID_PARAMETER",
        `refusing a federation request to ${req.uri}: not under ${federationEndpoint}`,
      );
    }
    if (!signer) {
      counters.increment("Federation");
      return original(req, ...rest);
    }
    if (deadline.remaining() <= 0 || deadline.signal?.aborted) {
      rejectFailed(
        deadline.interruption("Federation") ??
          new OciVnicError("TIMEOUT", "federation past its deadline"),
      );
      return new Promise<never>(() => undefined);
    }
    const [forceExcludeBody] = rest as [boolean | undefined];
    const attempts = runWithRetries({
      operation: "Federation",
      deadline,
      policy,
      retryWhen: (t) => t !== "none",
      classify: (thrown) => classifyFederation(thrown, deadline),
      attempt: async (signal, record) => {
        counters.increment("Federation");
        let response: HttpResponse;
        try {
          response = await signedHttpClient(signer, signal, proxy).send(
            req as HttpRequest,
            forceExcludeBody,
          );
        } catch (e) {
          if (!isOciVnicError(e)) record.transportError = e;
          throw e;
        }
        if (response.status >= 500 || response.status === 429) {
          throw new RetryableFederationAnswer(response);
        }
        if (response.status !== 200) {
          // Final (4xx): reported by us; the SDK would only print it to the console.
          const skew =
            response.status === 401 ? clockSkewNote(response.headers.get("date") ?? undefined) : "";
          const body = truncate(await response.text(), 200);
          throw new OciVnicError(
            "FEDERATION_FAILED",
            `the federation endpoint answered HTTP ${response.status}${skew}: ${body}`,
            { operation: "Federation", status: response.status },
          );
        }
        return response;
      },
    });
    // Once we gave up, the SDK gets no answer at all: a failure would make it print to the
    // console and retry with timers that keep a process alive. federate() stops waiting for it
    // and reports our error; the pending request holds no handle, so the process still exits.
    return attempts.catch((e: unknown) => {
      rejectFailed(isOciVnicError(e) ? e : new OciVnicError("FEDERATION_FAILED", String(e)));
      return new Promise<never>(() => undefined);
    });
  };
  return failed;
}
