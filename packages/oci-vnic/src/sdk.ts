import { createRequire } from "node:module";
import { OciVnicError } from "./errors.js";

/** The two SDK modules, loaded together on first use. */
export interface Sdk {
  common: typeof import("oci-common");
  core: typeof import("oci-core");
}

/** What the SDK prints (`console.warn` on every failure, `console.log` in federation), routed here. */
export type SdkLogSink = (level: "log" | "info" | "warn", message: string) => void;

let sdkPromise: Promise<Sdk> | undefined;
let commonPromise: Promise<Sdk["common"]> | undefined;
let sink: SdkLogSink | undefined;
let consoleFilterInstalled = false;

const sdkFilePattern = /[\\/]oci-(common|core)[\\/]/;
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

function sdkUnavailable(name: string, cause: unknown): OciVnicError {
  return new OciVnicError(
    "SDK_UNAVAILABLE",
    `cannot load ${name}: install it beside @ocfkit/oci-vnic (same exact version as oci-core)`,
    {},
    { cause },
  );
}

/** Loads `oci-common` only (auth, signing, HTTP), once per process. */
export function loadCommon(): Promise<Sdk["common"]> {
  commonPromise ??= import("oci-common").then(
    (common) => {
      installConsoleFilter();
      return common;
    },
    (e: unknown) => {
      commonPromise = undefined;
      throw sdkUnavailable("oci-common", e);
    },
  );
  return commonPromise;
}

/** Loads `oci-common` and `oci-core` (≈ 350 ms and 75 MB: only when an operation needs them). */
export function loadSdk(): Promise<Sdk> {
  sdkPromise ??= Promise.all([
    loadCommon(),
    import("oci-core").catch((e: unknown) => {
      throw sdkUnavailable("oci-core", e);
    }),
  ]).then(
    ([common, core]) => ({ common, core }),
    (e: unknown) => {
      sdkPromise = undefined;
      throw e;
    },
  );
  return sdkPromise;
}

/** The parts of sshpk (an oci-common dependency) the SDK's federation client needs from us. */
export interface SshpkCertificate {
  toString(format: "pem"): string;
  fingerprint(algo: "sha1"): { toString(format: "hex"): string };
}
/** A private key object as sshpk parses it. */
export type SshpkPrivateKey = object;
/** The sshpk functions we call. */
export interface Sshpk {
  parseCertificate(data: string, format: "pem"): SshpkCertificate;
  parsePrivateKey(data: string, format: "auto"): SshpkPrivateKey;
}

let sshpk: Sshpk | undefined;

/**
 * The exact sshpk copy oci-common uses (resolved from oci-common's own location), so certificate
 * objects we hand to its federation client are the ones it expects.
 */
export function loadSshpk(): Sshpk {
  if (!sshpk) {
    const requireHere = createRequire(import.meta.url);
    const requireFromCommon = createRequire(requireHere.resolve("oci-common"));
    sshpk = requireFromCommon("sshpk") as Sshpk;
  }
  return sshpk;
}
