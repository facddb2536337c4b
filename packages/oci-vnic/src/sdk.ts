import type { PrivateDir } from "@ocfkit/ocf/files";
import { OciVnicError } from "./errors.js";
import { loadSdkParts } from "./sdk-load.js";

/**
 * The SDK parts this package calls (see sdk-parts.ts): signing, request composition, error
 * mapping, auth providers, the four request models. Built into `dist/sdk.cjs`.
 */
export type Sdk = typeof import("./sdk-parts.js");

/** What the SDK logs (retries, warnings), through its logger hook `LOG.logger`. */
export type SdkLogSink = (level: "debug" | "info" | "warn" | "error", message: string) => void;

let sdkPromise: Promise<Sdk> | undefined;
let codeCache: PrivateDir | undefined;
let sink: SdkLogSink | undefined;

/** Points the SDK's logger hook at `sink` (the built package's SDK copy also routes its console there). */
function applySink(parts: Sdk): void {
  if (!sink) return;
  const to = sink;
  const line =
    (level: Parameters<SdkLogSink>[0]) =>
    (message?: unknown, ...rest: unknown[]) =>
      to(level, [message, ...rest].map(String).join(" "));
  parts.LOG.logger = {
    level: "debug",
    debug: line("debug"),
    trace: line("debug"),
    info: line("info"),
    warn: line("warn"),
    error: line("error"),
  };
}

/**
 * Sets where the SDK's log lines go (default: nowhere). It is the SDK's own hook, `LOG.logger`:
 * for the bundled SDK of the built package that copy only; in the sources, oci-common's.
 */
export function setSdkLogSink(next: SdkLogSink | undefined): void {
  sink = next;
  if (sdkPromise) void sdkPromise.then(applySink, () => undefined);
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
      applySink(parts);
      return parts;
    },
    (e: unknown) => {
      sdkPromise = undefined;
      throw sdkUnavailable(e);
    },
  );
  return sdkPromise;
}
