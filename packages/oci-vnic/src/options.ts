import type { AuthOptions } from "./auth.js";
import { invalidParameter } from "./errors.js";
import { type ProxyOptions, type ProxySettings, resolveProxy } from "./proxy.js";
import { defaultImdsRetryPolicy, defaultRetryPolicy, type RetryPolicy } from "./retry.js";
import type { SdkLogSink } from "./sdk.js";

/** The real instance metadata service v2 base URL (only reachable from an OCI instance). */
export const defaultMetadataUrl = "http://169.254.169.254/opc/v2/";

/** Where `createOciVnic` sends its own log lines (see {@link OciVnicOptions.log}). */
export type OciVnicLog = (level: "debug" | "warn", message: string) => void;

/** Endpoints; each one left out gets the real OCI default for the region. */
export interface EndpointOptions {
  /** Metadata service base URL (default `http://169.254.169.254/opc/v2/`). */
  metadata?: string | undefined;
  /** Federation (auth service) endpoint (default `https://auth.<region>.<realm domain>`). */
  federation?: string | undefined;
  /** VirtualNetwork endpoint without `/20160918` (default `https://iaas.<region>.<realm domain>`). */
  api?: string | undefined;
}

/** Options of `createOciVnic`. */
export interface OciVnicOptions {
  /** How to authenticate (default instance principals). */
  auth?: AuthOptions | undefined;
  /** Where to send requests; tests set all three to the emulator. */
  endpoints?: EndpointOptions | undefined;
  /** Region id such as `us-ashburn-1` (default: from the credentials or the metadata service). */
  region?: string | undefined;
  /** Directory for per-boot caches and the instance-principal session (e.g. `$HA_RSCTMP`). */
  cacheDir?: string | undefined;
  /** Deadline of a call that passes none, in milliseconds (default 30 000). */
  defaultTimeoutMs?: number | undefined;
  /** Retry policy of API requests. */
  retry?: Partial<RetryPolicy> | undefined;
  /** Retry policy of metadata requests. */
  metadataRetry?: Partial<RetryPolicy> | undefined;
  /**
   * Receives this package's own log lines: `warn` when `cacheDir` is refused (not a private
   * directory: nothing is cached then), `debug` for caches rebuilt and sessions renewed.
   */
  log?: OciVnicLog | undefined;
  /** Receives the SDK's log lines (its `LOG.logger` hook), which are otherwise dropped (last one set wins). */
  sdkLog?: SdkLogSink | undefined;
  /** File holding the boot id (default `/proc/sys/kernel/random/boot_id`); for tests. */
  bootIdPath?: string | undefined;
  /**
   * Proxies for the federation and API requests (default: `HTTPS_PROXY`, `HTTP_PROXY` and
   * `NO_PROXY` from the environment, read here); `false` for none. The metadata service and
   * loopback are never proxied.
   */
  proxy?: ProxyOptions | false | undefined;
}

/** Options after validation and defaults. */
export interface ResolvedOptions {
  auth: AuthOptions;
  metadataUrl: string;
  federationUrl: string | undefined;
  apiUrl: string | undefined;
  region: string | undefined;
  cacheDir: string | undefined;
  defaultTimeoutMs: number;
  retry: RetryPolicy;
  metadataRetry: RetryPolicy;
  sdkLog: SdkLogSink | undefined;
  log: OciVnicLog | undefined;
  bootIdPath: string | undefined;
  proxy: ProxySettings | undefined;
}

/** Checks an endpoint URL the way the SDK will accept it: http(s), no credentials/query/fragment. */
export function validateEndpoint(name: string, value: unknown): string {
  const allowed = "an http:// or https:// URL without user info, query or fragment";
  if (typeof value !== "string") throw invalidParameter(name, allowed, value);
  // The value is quoted in the error: never with the credentials it may carry.
  const shown = value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, "$1***@");
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidParameter(name, allowed, shown);
  }
  if (!/^https?:$/.test(url.protocol) || url.username || url.password || url.search || url.hash) {
    throw invalidParameter(name, allowed, shown);
  }
  return value.replace(/\/+$/, "");
}

function mergePolicy(name: string, base: RetryPolicy, over: Partial<RetryPolicy> | undefined) {
  const merged = { ...base, ...over };
  for (const [key, value] of Object.entries(merged)) {
    const min = key === "maxAttempts" || key === "attemptTimeoutMs" ? 1 : 0;
    if (typeof value !== "number" || !Number.isFinite(value) || value < min) {
      throw invalidParameter(`${name}.${key}`, `a finite number >= ${min}`, value);
    }
  }
  return merged;
}

const authKinds = ["instance-principal", "config-file", "resource-principal", "provider"];

// Hand-written checks, not zod: importing zod costs ~80 ms and this runs in every agent process.
/** Validates `createOciVnic` options and fills in defaults; throws INVALID_PARAMETER. */
export function resolveOptions(options: OciVnicOptions = {}): ResolvedOptions {
  const auth = options.auth ?? { kind: "instance-principal" };
  if (typeof auth !== "object" || auth === null || !authKinds.includes(auth.kind)) {
    throw invalidParameter("auth.kind", authKinds.join(" | "), (auth as { kind?: unknown })?.kind);
  }
  if (auth.kind === "provider") {
    const p = auth.provider as { getKeyId?: unknown; getPrivateKey?: unknown } | undefined;
    if (typeof p?.getKeyId !== "function" || typeof p.getPrivateKey !== "function") {
      throw invalidParameter("auth.provider", "an OCI SDK AuthenticationDetailsProvider", "other");
    }
  }
  const ep = options.endpoints ?? {};
  const region = options.region;
  if (region !== undefined && (typeof region !== "string" || !/^[a-z0-9-]+$/.test(region))) {
    throw invalidParameter("region", "a region id such as us-ashburn-1", region);
  }
  const timeout = options.defaultTimeoutMs ?? 30_000;
  if (typeof timeout !== "number" || !Number.isFinite(timeout) || timeout <= 0) {
    throw invalidParameter("defaultTimeoutMs", "a positive number of milliseconds", timeout);
  }
  if (options.cacheDir !== undefined && typeof options.cacheDir !== "string") {
    throw invalidParameter("cacheDir", "a directory path", options.cacheDir);
  }
  return {
    auth,
    metadataUrl: `${validateEndpoint("endpoints.metadata", ep.metadata ?? defaultMetadataUrl)}/`,
    federationUrl:
      ep.federation === undefined
        ? undefined
        : validateEndpoint("endpoints.federation", ep.federation),
    apiUrl: ep.api === undefined ? undefined : validateEndpoint("endpoints.api", ep.api),
    region,
    cacheDir: options.cacheDir,
    defaultTimeoutMs: timeout,
    retry: mergePolicy("retry", defaultRetryPolicy, options.retry),
    metadataRetry: mergePolicy("metadataRetry", defaultImdsRetryPolicy, options.metadataRetry),
    sdkLog: options.sdkLog,
    log: options.log,
    bootIdPath: options.bootIdPath,
    proxy: resolveProxy(options.proxy),
  };
}
