import type { AuthenticationDetailsProvider, HttpRequest } from "oci-common";
import type { AuthHandle } from "./auth.js";
import type { RequestCounters } from "./counters.js";
import type { Deadline } from "./deadline.js";
import { type AttemptRecord, classifyFailure, type PolicyContext } from "./error-map.js";
import { isOciVnicError, OciVnicError } from "./errors.js";
import type { HttpResponse } from "./http.js";
import type { LiteHeaders } from "./lite-headers.js";
import type { ProxySettings } from "./proxy.js";
import { type RetryPolicy, retryableFor, runWithRetries } from "./retry.js";
import { loadSdk, type Sdk } from "./sdk.js";
import { type SignedHttpClient, signedHttpClient, signingError } from "./signed-http.js";

/** What every VirtualNetwork call needs: the SDK, credentials, endpoint, counters, policy. */
export interface ApiContext {
  /** Resolves the VirtualNetwork endpoint for this call. */
  resolve(deadline: Deadline): Promise<{ endpoint: string }>;
  auth(deadline: Deadline): Promise<AuthHandle>;
  counters: RequestCounters;
  policy: RetryPolicy;
  policyContext(): PolicyContext;
  /** Proxy settings (see proxy.ts). */
  proxy?: ProxySettings | undefined;
}

/** One VirtualNetwork request, described the way oci-core's generated client describes it. */
export interface ApiCall<T> {
  /** OCI operation name, used for counters and errors (e.g. `ListPrivateIps`). */
  operation: string;
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path under `/20160918`, with `{name}` placeholders, as in the generated client. */
  path: string;
  pathParams?: Record<string, string>;
  queryParams?: Record<string, string>;
  headerParams?: Record<string, string | undefined>;
  /** Repeating the request is harmless: retried like a read (default: GET only). */
  idempotent?: boolean | undefined;
  /** The request body, serialized with the SDK model's `getJsonObj` (writes only). */
  body?: (sdk: Sdk) => string;
  map: (body: unknown, headers: LiteHeaders) => T;
}

const signers = new WeakMap<object, InstanceType<Sdk["DefaultRequestSigner"]>>();
const apiVersionPath = "/20160918";

/**
 * The SDK's signer with our HTTP client (see signed-http.ts) under this attempt's abort signal,
 * wrapped to count requests, record what the attempt saw (status, opc-request-id, Retry-After,
 * transport error) and refuse any other origin.
 */
function httpFor(
  common: Sdk,
  provider: AuthenticationDetailsProvider,
  endpoint: string,
  signal: AbortSignal,
  record: AttemptRecord,
  counters: RequestCounters,
  operation: string,
  proxy: ProxySettings | undefined,
): SignedHttpClient {
  let signer = signers.get(provider);
  if (!signer) {
    try {
      signer = new common.DefaultRequestSigner(provider);
    } catch (e) {
      throw signingError(operation, e);
    }
    signers.set(provider, signer);
  }
  const inner = signedHttpClient(signer, signal, proxy);
  const origin = new URL(endpoint).origin;
  return {
    async send(req: HttpRequest, forceExcludeBody?: boolean): Promise<HttpResponse> {
      const target = new URL(req.uri).origin;
      if (target !== origin) {
        throw new OciVnicError(
          "INVALID_PARAMETER",
          `refusing to send ${operation} to ${target}: the API endpoint is ${origin}`,
        );
      }
      counters.increment(operation);
      try {
        const res = await inner.send(req, forceExcludeBody);
        record.status = res.status;
        record.opcRequestId = res.headers.get("opc-request-id") ?? undefined;
        record.retryAfter = res.headers.get("retry-after") ?? undefined;
        record.serverDate = res.headers.get("date") ?? undefined;
        return res;
      } catch (e) {
        // A signing failure is no transport error: nothing was sent.
        if (!isOciVnicError(e)) record.transportError = e;
        throw e;
      }
    },
  };
}

/**
 * Runs one request: retries with backoff, the deadline, and one re-authentication after a 401
 * (an instance-principal token the service no longer accepts).
 */
async function run<T>(
  ctx: ApiContext,
  deadline: Deadline,
  operation: string,
  kind: "read" | "write",
  attempt: (
    provider: AuthenticationDetailsProvider,
    endpoint: string,
    signal: AbortSignal,
    record: AttemptRecord,
  ) => Promise<T>,
): Promise<T> {
  const [{ endpoint }, auth] = await Promise.all([ctx.resolve(deadline), ctx.auth(deadline)]);
  for (let reauthenticated = false; ; reauthenticated = true) {
    try {
      return await runWithRetries({
        operation,
        deadline,
        policy: ctx.policy,
        retryWhen: retryableFor(kind),
        classify: (thrown, record) =>
          classifyFailure(thrown, record, deadline, operation, ctx.policyContext()),
        attempt: async (signal, record) =>
          attempt(await auth.prepare(deadline), endpoint, signal, record),
      });
    } catch (e) {
      if (!reauthenticated && isOciVnicError(e, "NOT_AUTHENTICATED") && (await auth.invalidate())) {
        continue;
      }
      throw e;
    }
  }
}

/**
 * Runs one request with the SDK's request pipeline (`composeRequest`, `DefaultRequestSigner`,
 * `handleErrorResponse`, the model serializers: the calls oci-core's generated
 * `VirtualNetworkClient` methods make) without loading oci-core's ~1,000 model modules, and with
 * Node's `http`/`https` in place of the SDK's `FetchHttpClient` (Node's `fetch` costs a new
 * process ≈ 30 ms to load, more than the request itself). The SDK's retries and circuit breaker
 * are not involved: we retry, deadline-aware, and a short-lived agent process must not carry
 * breaker state between calls.
 * A GET retries anything transient; a write only what the service surely did not act on.
 */
export async function callApi<T>(
  ctx: ApiContext,
  deadline: Deadline,
  call: ApiCall<T>,
): Promise<T> {
  const sdk = await loadSdk();
  const kind = call.method === "GET" || call.idempotent ? "read" : "write";
  return run(ctx, deadline, call.operation, kind, async (provider, endpoint, signal, record) => {
    const http = httpFor(
      sdk,
      provider,
      endpoint,
      signal,
      record,
      ctx.counters,
      call.operation,
      ctx.proxy,
    );
    const headerParams: Record<string, string> = { "Content-Type": "application/json" };
    for (const [name, value] of Object.entries(call.headerParams ?? {})) {
      if (value !== undefined) headerParams[name] = value;
    }
    const request = await sdk.composeRequest({
      baseEndpoint: `${endpoint}${apiVersionPath}`,
      defaultHeaders: {},
      path: call.path,
      method: call.method,
      pathParams: call.pathParams ?? {},
      headerParams,
      queryParams: call.queryParams ?? {},
      ...(call.body ? { bodyContent: call.body(sdk) } : {}),
    });
    const response = await http.send(request, false);
    if (response.status < 200 || response.status > 299) {
      const fetchShaped = response as unknown as Response;
      const body = await sdk.handleErrorBody(fetchShaped);
      throw sdk.handleErrorResponse(
        fetchShaped,
        body,
        "VirtualNetwork",
        call.operation,
        new Date().toISOString(),
        `${call.method} ${request.uri}`,
        "",
      );
    }
    const text = await response.text();
    return call.map(text.length > 0 ? JSON.parse(text) : undefined, response.headers);
  });
}
