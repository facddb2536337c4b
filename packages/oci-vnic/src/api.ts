import type { AuthenticationDetailsProvider, HttpRequest } from "oci-common";
import type { VirtualNetworkClient } from "oci-core";
import type { AuthHandle } from "./auth.js";
import type { RequestCounters } from "./counters.js";
import type { Deadline } from "./deadline.js";
import { type AttemptRecord, classifyFailure, type PolicyContext } from "./error-map.js";
import { isOciVnicError, OciVnicError } from "./errors.js";
import { type RetryPolicy, retryableFor, runWithRetries } from "./retry.js";
import { loadSdk, type Sdk } from "./sdk.js";

/** What every VirtualNetwork call needs: the SDK, credentials, endpoint, counters, policy. */
export interface ApiContext {
  /** Resolves the SDK (loaded lazily) and the VirtualNetwork endpoint for this call. */
  resolve(deadline: Deadline): Promise<{ endpoint: string }>;
  auth(deadline: Deadline): Promise<AuthHandle>;
  counters: RequestCounters;
  policy: RetryPolicy;
  policyContext(): PolicyContext;
}

/** Options of one {@link callApi}. */
export interface ApiCall<T> {
  /** OCI operation name, used for counters and errors (e.g. `ListPrivateIps`). */
  operation: string;
  /** `read` retries anything transient; `write` only what the service surely did not act on. */
  kind: "read" | "write";
  invoke: (client: VirtualNetworkClient) => Promise<T>;
}

const signers = new WeakMap<object, unknown>();

function signerFor(sdk: Sdk, provider: AuthenticationDetailsProvider) {
  let signer = signers.get(provider) as InstanceType<Sdk["common"]["DefaultRequestSigner"]>;
  if (!signer) {
    signer = new sdk.common.DefaultRequestSigner(provider);
    signers.set(provider, signer);
  }
  return signer;
}

/**
 * One VirtualNetwork client per attempt: the SDK fixes `httpOptions.signal` at construction, and
 * construction is cheap (< 1 ms). SDK retries are off (we retry, deadline-aware) and so is its
 * circuit breaker (a short-lived agent process must not carry breaker state between calls).
 */
function clientFor(
  sdk: Sdk,
  provider: AuthenticationDetailsProvider,
  endpoint: string,
  signal: AbortSignal,
  record: AttemptRecord,
  counters: RequestCounters,
  operation: string,
): VirtualNetworkClient {
  const { common, core } = sdk;
  const inner = new common.FetchHttpClient(signerFor(sdk, provider), null, { signal });
  const origin = new URL(endpoint).origin;
  const httpClient = {
    async send(req: HttpRequest, ...rest: unknown[]): Promise<Response> {
      if (new URL(req.uri).origin !== origin) {
        throw new OciVnicError(
          "INVALID_PARAMETER",
          `refusing to send ${operation} to ${new URL(req.uri).origin}: the API endpoint is ${origin}`,
        );
      }
      counters.increment(operation);
      try {
        const res = await (inner.send as (r: HttpRequest, ...a: unknown[]) => Promise<Response>)(
          req,
          ...rest,
        );
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
  return client;
}

/** Runs one VirtualNetwork operation: retries, deadline, one re-authentication after a 401. */
export async function callApi<T>(
  ctx: ApiContext,
  deadline: Deadline,
  call: ApiCall<T>,
): Promise<T> {
  const [sdk, { endpoint }, auth] = await Promise.all([
    loadSdk(),
    ctx.resolve(deadline),
    ctx.auth(deadline),
  ]);
  for (let reauthenticated = false; ; reauthenticated = true) {
    try {
      return await runWithRetries({
        operation: call.operation,
        deadline,
        policy: ctx.policy,
        retryWhen: retryableFor(call.kind),
        classify: (thrown, record) =>
          classifyFailure(thrown, record, deadline, call.operation, ctx.policyContext()),
        attempt: async (signal, record) => {
          const provider = await auth.prepare(deadline);
          const client = clientFor(
            sdk,
            provider,
            endpoint,
            signal,
            record,
            ctx.counters,
            call.operation,
          );
          return call.invoke(client);
        },
      });
    } catch (e) {
      if (!reauthenticated && isOciVnicError(e, "NOT_AUTHENTICATED") && (await auth.invalidate())) {
        continue;
      }
      throw e;
    }
  }
}
