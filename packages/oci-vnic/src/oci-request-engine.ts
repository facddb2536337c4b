import { type ApiContext, callApi } from "./api.js";
import { type AuthHandle, instancePrincipalAuth, staticAuth } from "./auth.js";
import { createCacheStore } from "./cache-store.js";
import type { RequestCounters } from "./counters.js";
import { type CallOptions, createDeadline, type Deadline } from "./deadline.js";
import { isOciVnicError, OciVnicError } from "./errors.js";
import { createImdsClient } from "./imds.js";
import { createSessionSource } from "./instance-principal.js";
import { createMetadataSource } from "./metadata-source.js";
import type { OciRequest, OciResponse } from "./oci-request.js";
import type { ResolvedOptions } from "./options.js";
import { loadSdk, setSdkCodeCacheDir, setSdkLogSink } from "./sdk.js";

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
  if (opts.sdkLog) setSdkLogSink(opts.sdkLog);
  if (opts.cacheDir !== undefined) setSdkCodeCacheDir(opts.cacheDir);
  const cache = createCacheStore(opts.cacheDir, opts.bootIdPath);
  const imds = createImdsClient({
    baseUrl: opts.metadataUrl,
    counters,
    policy: opts.metadataRetry,
  });
  const metadata = createMetadataSource(imds, cache);
  let authPromise: Promise<AuthHandle> | undefined;
  let regionPromise: Promise<string | undefined> | undefined;

  const region = (deadline: Deadline): Promise<string | undefined> => {
    regionPromise ??= (async () => {
      if (opts.region) return opts.region;
      const fromAuth = await (await auth()).region(deadline);
      return fromAuth ?? (await metadata.get(deadline)).instance.region;
    })();
    regionPromise.catch(() => {
      regionPromise = undefined;
    });
    return regionPromise;
  };
  const defaultEndpoint = async (service: "auth" | "iaas", deadline: Deadline) => {
    const regionId = await region(deadline);
    if (!regionId) {
      throw new OciVnicError(
        "INVALID_PARAMETER",
        `no region known to build the default ${service} endpoint: pass region or endpoints`,
      );
    }
    const sdk = await loadSdk();
    return sdk.EndpointBuilder.createEndpointFromRegionId(
      `https://${service}.{region}.{secondLevelDomain}`,
      regionId,
    );
  };
  const auth = (): Promise<AuthHandle> => {
    authPromise ??=
      opts.auth.kind === "instance-principal"
        ? Promise.resolve(
            instancePrincipalAuth(
              createSessionSource({
                imds,
                federationEndpoint: async (d) => opts.federationUrl ?? defaultEndpoint("auth", d),
                cache,
                counters,
              }),
            ),
          )
        : staticAuth(opts.auth);
    authPromise.catch(() => {
      authPromise = undefined;
    });
    return authPromise;
  };
  const principal =
    opts.auth.kind === "instance-principal"
      ? "instance"
      : opts.auth.kind === "config-file"
        ? "user"
        : "other";
  const api: ApiContext = {
    resolve: async (d) => ({ endpoint: opts.apiUrl ?? (await defaultEndpoint("iaas", d)) }),
    auth,
    counters,
    policy: opts.retry,
    policyContext: () => ({
      principal,
      compartmentId: metadata.peek()?.instance.compartmentId,
    }),
  };

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
