import { createRequestCounters, type RequestCounts } from "./counters.js";
import type { CallOptions } from "./deadline.js";
import type { OciRequestEngine } from "./oci-request-engine.js";
import { type OciVnicOptions, resolveOptions } from "./options.js";

/** One request to the Core Services API (`iaas`, under `/20160918`), e.g. Compute or VirtualNetwork. */
export interface OciRequest {
  /** OCI operation name, for counters and errors (e.g. `GetInstance`). */
  operation: string;
  /** HTTP method. */
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path under `/20160918` with `{name}` placeholders, e.g. `/instances/{instanceId}`. */
  path: string;
  /** Values of the placeholders (URL-encoded when the request is composed). */
  pathParams?: Record<string, string> | undefined;
  /** Query parameters. */
  queryParams?: Record<string, string> | undefined;
  /** Extra headers (e.g. `opc-retry-token`, `if-match`). */
  headers?: Record<string, string | undefined> | undefined;
  /** JSON body (writes). */
  body?: unknown;
  /**
   * Whether repeating the request is harmless, so failures with an unknown outcome (5xx, timeouts)
   * are retried within the deadline as reads are. Default: true for GET only.
   */
  idempotent?: boolean | undefined;
  /** The IAM statement to suggest when OCI answers 404 NotAuthorizedOrNotFound. */
  iamHint?: string | undefined;
}

/** The answer to an {@link OciRequest}: the parsed JSON body and the headers callers use. */
export interface OciResponse<T> {
  /** Parsed JSON body (undefined for an empty body). */
  body: T;
  /** The `etag` header, if any. */
  etag: string | undefined;
  /** The `opc-request-id` header, if any. */
  opcRequestId: string | undefined;
}

/** A signed-request client for the Core Services API; see {@link createOciApiClient}. */
export interface OciApiClient {
  /** Sends one signed request: retries within the deadline, re-authenticates once after a 401. */
  request<T = unknown>(request: OciRequest, options?: CallOptions): Promise<OciResponse<T>>;
  /** Requests made so far by operation (`Imds`, `Federation`, `GetInstance`, ...). */
  requestCounts(): RequestCounts;
}

/**
 * Creates a client that sends signed JSON requests to the Core Services API (`iaas`) with the same
 * options, authentication (instance principals by default, config file, ...), session cache in
 * `cacheDir`, HTTP transport, retries and deadlines as {@link createOciVnic}: for Compute or other
 * calls this package has no method for. Nothing is loaded or sent until the first request.
 * @example
 * const api = createOciApiClient({ cacheDir: "/run/fence_oci" });
 * const { body } = await api.request<{ lifecycleState: string }>(
 *   { operation: "GetInstance", method: "GET", path: "/instances/{id}", pathParams: { id } },
 *   { timeoutMs: 20_000 },
 * );
 */
export function createOciApiClient(options: OciVnicOptions = {}): OciApiClient {
  const opts = resolveOptions(options);
  const counters = createRequestCounters();
  let engine: Promise<OciRequestEngine> | undefined;
  const load = (): Promise<OciRequestEngine> => {
    engine ??= import("./oci-request-engine.js").then((m) =>
      m.createOciRequestEngine(opts, counters),
    );
    return engine;
  };
  return {
    request: async (request, o) => (await load()).request(request, o),
    requestCounts: () => counters.snapshot(),
  };
}
