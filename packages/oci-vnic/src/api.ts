import type { AuthenticationDetailsProvider, HttpClient, HttpRequest } from "oci-common";
import type { VirtualNetworkClient } from "oci-core";
import type { AuthHandle } from "./auth.js";
import type { RequestCounters } from "./counters.js";
import type { Deadline } from "./deadline.js";
import { type AttemptRecord, classifyFailure, type PolicyContext } from "./error-map.js";
import { isOciVnicError, OciVnicError } from "./errors.js";
import { type RetryPolicy, retryableFor, runWithRetries } from "./retry.js";
import { loadCommon, loadSdk, type Sdk } from "./sdk.js";

/** What every VirtualNetwork call needs: the SDK, credentials, endpoint, counters, policy. */
export interface ApiContext {
  /** Resolves the VirtualNetwork endpoint for this call. */
  resolve(deadline: Deadline): Promise<{ endpoint: string }>;
  auth(deadline: Deadline): Promise<AuthHandle>;
  counters: RequestCounters;
  policy: RetryPolicy;
  policyContext(): PolicyContext;
}

/** A write (or any call) through oci-core's generated `VirtualNetworkClient`. */
export interface ApiCall<T> {
  /** OCI operation name, used for counters and errors (e.g. `CreatePrivateIp`). */
  operation: string;
  /** `read` retries anything transient; `write` only what the service surely did not act on. */
  kind: "read" | "write";
  invoke: (client: VirtualNetworkClient) => Promise<T>;
}

/** A GET through oci-common alone (no oci-core load): the hot path of `getAssignment`. */
export interface ReadCall<T> {
  /** OCI operation name (e.g. `ListPrivateIps`). */
  operation: string;
  /** Path under `/20160918`, with `{name}` placeholders, as in the generated client. */
  path: string;
  pathParams?: Record<string, string>;
  queryParams?: Record<string, string>;
  map: (body: unknown, headers: Headers) => T;
}

type Common = Sdk["common"];
const signers = new WeakMap<object, InstanceType<Common["DefaultRequestSigner"]>>();
const apiVersionPath = "/20160918";

/**
 * The SDK's own HTTP client and signer, with this attempt's abort signal (the SDK fixes it at
 * construction, and construction is cheap), wrapped to count requests, record what the attempt
 * saw (status, opc-request-id, Retry-After, transport error) and refuse any other origin.
 */
function httpFor(
  common: Common,
  provider: AuthenticationDetailsProvider,
  endpoint: string,
  signal: AbortSignal,
  record: AttemptRecord,
  counters: RequestCounters,
  operation: string,
): HttpClient {
  let signer = signers.get(provider);
  if (!signer) {
    signer = new common.DefaultRequestSigner(provider);
    signers.set(provider, signer);
  }
  const inner = new common.FetchHttpClient(signer, null, { signal });
  const origin = new URL(endpoint).origin;
  return {
    async send(req: HttpRequest, ...rest: unknown[]): Promise<Response> {
      const target = new URL(req.uri).origin;
      if (target !== origin) {
        throw new OciVnicError(
          "INVALID_PARAMETER",
          `refusing to send ${operation} to ${target}: the API endpoint is ${origin}`,
        );
      }
      counters.increment(operation);
      try {
        const send = inner.send as (r: HttpRequest, ...a: unknown[]) => Promise<Response>;
        const res = await send.call(inner, req, ...rest);
        record.status = res.status;
        record.opcRequestId = res.headers.get("opc-request-id") ?? undefined;
        record.retryAfter = res.headers.get("retry-after") ?? undefined;
        return res;
      } catch (e) {
        record.transportError = e;
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
 * Runs one operation through oci-core's `VirtualNetworkClient`, one client per attempt. SDK
 * retries are off (we retry, deadline-aware) and so is its circuit breaker (a short-lived agent
 * process must not carry breaker state between calls, nor have calls refused by it).
 */
export async function callApi<T>(
  ctx: ApiContext,
  deadline: Deadline,
  call: ApiCall<T>,
): Promise<T> {
  const sdk = await loadSdk();
  return run(
    ctx,
    deadline,
    call.operation,
    call.kind,
    async (provider, endpoint, signal, record) => {
      const { common, core } = sdk;
      const httpClient = httpFor(
        common,
        provider,
        endpoint,
        signal,
        record,
        ctx.counters,
        call.operation,
      );
      const client = new core.VirtualNetworkClient(
        { httpClient },
        {
          circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }),
          retryConfiguration: {
            terminationStrategy: new common.MaxAttemptsTerminationStrategy(1),
            retryCondition: () => false,
          },
        },
      );
      client.endpoint = endpoint;
      return call.invoke(client);
    },
  );
}

/**
 * Runs one GET with oci-common's request pipeline (`composeRequest`, `DefaultRequestSigner`,
 * `FetchHttpClient`, `handleErrorResponse`: the same calls oci-core's generated methods make)
 * without loading oci-core, whose ~1,000 model modules cost more than the whole call.
 */
export async function callRead<T>(
  ctx: ApiContext,
  deadline: Deadline,
  call: ReadCall<T>,
): Promise<T> {
  const common = await loadCommon();
  return run(ctx, deadline, call.operation, "read", async (provider, endpoint, signal, record) => {
    const http = httpFor(common, provider, endpoint, signal, record, ctx.counters, call.operation);
    const request = await common.composeRequest({
      baseEndpoint: `${endpoint}${apiVersionPath}`,
      defaultHeaders: {},
      path: call.path,
      method: "GET",
      pathParams: call.pathParams ?? {},
      headerParams: { "Content-Type": "application/json" },
      queryParams: call.queryParams ?? {},
    });
    const response = await http.send(request, false, "VirtualNetwork", call.operation);
    if (response.status < 200 || response.status > 299) {
      const body = await common.handleErrorBody(response);
      throw common.handleErrorResponse(
        response,
        body,
        "VirtualNetwork",
        call.operation,
        new Date().toISOString(),
        `GET ${request.uri}`,
        "",
      );
    }
    return call.map(await response.json(), response.headers);
  });
}
