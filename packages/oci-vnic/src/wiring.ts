import type { ApiContext } from "./api.js";
import { type AuthHandle, instancePrincipalAuth, staticAuth } from "./auth.js";
import { type CacheStore, createCacheStore } from "./cache-store.js";
import type { RequestCounters } from "./counters.js";
import type { Deadline } from "./deadline.js";
import { OciVnicError } from "./errors.js";
import { createImdsClient, type ImdsClient } from "./imds.js";
import { createSessionSource } from "./instance-principal.js";
import { createMetadataSource, type MetadataSource } from "./metadata-source.js";
import type { ResolvedOptions } from "./options.js";
import { loadSdk, setSdkCodeCache, setSdkLogSink } from "./sdk.js";

/**
 * What every client of this package (the VNIC engine, the generic API client) is built on, made
 * once per client from its options: the cache, the metadata service, the session or static
 * credentials, the region and endpoints, and the API call context with its retries.
 */
export interface Wiring {
  readonly cache: CacheStore;
  readonly imds: ImdsClient;
  readonly metadata: MetadataSource;
  readonly auth: (deadline?: Deadline) => Promise<AuthHandle>;
  /** The region: the option, else the session's, else the metadata service's. */
  readonly region: (deadline: Deadline) => Promise<string | undefined>;
  readonly federationUrl: (deadline: Deadline) => Promise<string>;
  readonly apiUrl: (deadline: Deadline) => Promise<string>;
  readonly api: ApiContext;
}

/** Builds the shared parts from validated options and the client's counters. */
export function createWiring(opts: ResolvedOptions, counters: RequestCounters): Wiring {
  if (opts.sdkLog) setSdkLogSink(opts.sdkLog);
  const cache = createCacheStore(opts.cacheDir, opts.bootIdPath, opts.log);
  const privateDir = cache.privateDir();
  if (privateDir) setSdkCodeCache(privateDir);
  // The metadata service is never reached through a proxy (see proxy.ts): no proxy settings.
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
      const fromAuth = await (await auth(deadline)).region(deadline);
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
  const federationUrl = async (d: Deadline) => opts.federationUrl ?? defaultEndpoint("auth", d);
  const apiUrl = async (d: Deadline) => opts.apiUrl ?? defaultEndpoint("iaas", d);

  const auth = (_deadline?: Deadline): Promise<AuthHandle> => {
    if (!authPromise) {
      authPromise =
        opts.auth.kind === "instance-principal"
          ? Promise.resolve(
              instancePrincipalAuth(
                createSessionSource({
                  imds,
                  federationEndpoint: federationUrl,
                  cache,
                  counters,
                  policy: opts.retry,
                  proxy: opts.proxy,
                }),
              ),
            )
          : staticAuth(opts.auth);
      authPromise.catch(() => {
        authPromise = undefined;
      });
    }
    return authPromise;
  };

  const api: ApiContext = {
    resolve: async (deadline) => ({ endpoint: await apiUrl(deadline) }),
    auth,
    counters,
    policy: opts.retry,
    proxy: opts.proxy,
    policyContext: () => ({
      principal:
        opts.auth.kind === "instance-principal"
          ? "instance"
          : opts.auth.kind === "config-file"
            ? "user"
            : "other",
      compartmentId: metadata.peek()?.instance.compartmentId,
    }),
  };
  return { cache, imds, metadata, auth, region, federationUrl, apiUrl, api };
}
