import { callApi } from "./api.js";
import type { RequestCounters } from "./counters.js";
import { type CallOptions, createDeadline } from "./deadline.js";
import { isOciVnicError, OciVnicError } from "./errors.js";
import type { OciRequest, OciResponse } from "./oci-request.js";
import type { ResolvedOptions } from "./options.js";
import { createWiring } from "./wiring.js";

/** The SDK's composeRequest keys path parameters by their placeholder, braces included. */
function placeholders(params: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(params).map(([k, v]) => [k.startsWith("{") ? k : `{${k}}`, v]),
  );
}

/** The loaded side of {@link createOciApiClient}'s client. */
export interface OciRequestEngine {
  request<T>(request: OciRequest, options?: CallOptions): Promise<OciResponse<T>>;
}

/**
 * Builds the request engine from the same parts as the VNIC engine (engine.ts): metadata client,
 * per-boot cache, instance-principal session source or static credentials, region and endpoints.
 */
export function createOciRequestEngine(
  opts: ResolvedOptions,
  counters: RequestCounters,
): OciRequestEngine {
  const { api } = createWiring(opts, counters);

  return {
    async request<T>(request: OciRequest, o?: CallOptions): Promise<OciResponse<T>> {
      const deadline = createDeadline(o, opts.defaultTimeoutMs);
      const body = request.body;
      try {
        return await callApi(api, deadline, {
          operation: request.operation,
          method: request.method,
          path: request.path,
          idempotent: request.idempotent,
          ...(request.pathParams ? { pathParams: placeholders(request.pathParams) } : {}),
          ...(request.queryParams ? { queryParams: request.queryParams } : {}),
          ...(request.headers ? { headerParams: request.headers } : {}),
          ...(body === undefined ? {} : { body: () => JSON.stringify(body) }),
          map: (parsed, headers) => ({
            body: parsed as T,
            etag: headers.get("etag") ?? undefined,
            opcRequestId: headers.get("opc-request-id") ?? undefined,
          }),
        });
      } catch (e) {
        // The built-in hint names the networking grant; a caller's request knows its own.
        if (request.iamHint && isOciVnicError(e, "NOT_AUTHORIZED_OR_NOT_FOUND")) {
          const old = e.policyHint;
          const message = old ? e.message.replace(old, request.iamHint) : e.message;
          const { opcRequestId, status, serviceCode, operation, retryAfterMs } = e;
          throw new OciVnicError(
            e.code,
            message,
            {
              opcRequestId,
              status,
              serviceCode,
              operation,
              retryAfterMs,
              policyHint: request.iamHint,
            },
            { cause: e.cause },
          );
        }
        throw e;
      }
    },
  };
}
