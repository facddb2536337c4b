import type { PrivateDir } from "@ocfkit/ocf";
import { OciVnicError } from "./errors.js";
import { loadSdkParts } from "./sdk-load.js";

/**
 * The SDK parts this package calls (see sdk-parts.ts): signing, request composition, error
 * mapping, auth providers, the four request models. Built into `dist/sdk.cjs`.
 */
export type Sdk = typeof import("./sdk-parts.js");

/** What the SDK prints (`console.warn` on every failure, `console.log` in federation), routed here. */
export type SdkLogSink = (level: "log" | "info" | "warn", message: string) => void;

let sdkPromise: Promise<Sdk> | undefined;
let codeCache: PrivateDir | undefined;
let sink: SdkLogSink | undefined;
let consoleFilterInstalled = false;

const sdkFilePattern = /[\\/]oci-(common|core)[\\/]|[\\/]sdk\.cjs$/;
// The SDK's own phrases, for when the caller's file cannot be seen (e.g. a bundled SDK).
const sdkMessagePattern =
  /^(Request cannot be retried|All retry attempts have exhausted|Request failed with Exception|Failed to fetch the token from auth server|Retry attempts exhausted|Retrying the request|Shutting down the circuit breaker|No DEFAULT profile|Found regionId|Falling back to)/;

/** Real file names of the calling frames (CallSites, so source maps cannot rename them). */
function callerFiles(): string[] {
  const saved = Error.prepareStackTrace;
  const holder: { stack?: unknown } = {};
  try {
    Error.prepareStackTrace = (_e, sites) => sites.map((s) => s.getFileName() ?? "");
    Error.captureStackTrace(holder, callerFiles);
    return (holder.stack as string[]).slice(1, 4);
  } catch {
    return [];
  } finally {
    Error.prepareStackTrace = saved;
  }
}

/**
 * Drops console output whose caller is an SDK file (it would corrupt an OCF agent's stdout and
 * flood stderr), passing it to the sink instead; everything else reaches the console unchanged.
 */
function installConsoleFilter(): void {
  if (consoleFilterInstalled) return;
  consoleFilterInstalled = true;
  for (const level of ["log", "info", "warn"] as const) {
    const original = console[level].bind(console);
    console[level] = (...args: unknown[]): void => {
      const message = args.map(String).join(" ");
      if (callerFiles().some((f) => sdkFilePattern.test(f)) || sdkMessagePattern.test(message)) {
        sink?.(level, message);
        return;
      }
      original(...args);
    };
  }
}

/** Sets where SDK console output goes (default: nowhere). */
export function setSdkLogSink(next: SdkLogSink | undefined): void {
  sink = next;
}

function sdkUnavailable(cause: unknown): OciVnicError {
  return new OciVnicError(
    "SDK_UNAVAILABLE",
    `cannot load the OCI SDK parts (dist/sdk.cjs, or oci-common and oci-core in the sources): ${String((cause as Error)?.message ?? cause)}`,
    {},
    { cause },
  );
}

/**
 * Where the built package keeps the V8 code cache of dist/sdk.cjs: the private cache directory
 * of the first client that has one, before the SDK loads.
 */
export function setSdkCodeCache(dir: PrivateDir): void {
  codeCache ??= dir;
}

/**
 * Loads the SDK parts once per process, on the first operation that needs them. Bundled, they
 * cost a few tens of milliseconds; through the `oci-common` and `oci-core` entry points the same
 * work costs ≈ 350 ms and 75 MB (every service model is loaded).
 */
export function loadSdk(): Promise<Sdk> {
  sdkPromise ??= loadSdkParts(codeCache).then(
    (parts) => {
      installConsoleFilter();
      return parts;
    },
    (e: unknown) => {
      sdkPromise = undefined;
      throw sdkUnavailable(e);
    },
  );
  return sdkPromise;
}
