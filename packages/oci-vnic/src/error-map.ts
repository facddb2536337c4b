import type { Deadline } from "./deadline.js";
import { OciVnicError, type OciVnicErrorCode, truncate } from "./errors.js";

/** What one HTTP attempt saw, recorded by our HTTP client wrapper beside the SDK. */
export interface AttemptRecord {
  status?: number | undefined;
  opcRequestId?: string | undefined;
  retryAfter?: string | undefined;
  transportError?: unknown;
  attemptTimedOut?: boolean | undefined;
  /** The answer's `Date` header: the service's clock. */
  serverDate?: string | undefined;
}

/** OCI refuses signatures whose date is further than this from its clock ("Request Signatures"). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * For a 401: " (clock skew of N s ...)" when the service's `Date` is more than 5 minutes from
 * ours, the one cause of a 401 that no new credentials fix; otherwise "".
 */
export function clockSkewNote(serverDate: string | undefined, now = Date.now()): string {
  const at = serverDate === undefined ? Number.NaN : Date.parse(serverDate);
  if (Number.isNaN(at) || Math.abs(at - now) <= MAX_CLOCK_SKEW_MS) return "";
  const seconds = Math.round((at - now) / 1000);
  return ` (clock skew of ${seconds} s: OCI's clock is ${Math.abs(seconds)} s ${seconds > 0 ? "ahead of" : "behind"} this node's, and OCI refuses signatures more than 5 minutes off; fix the node's time, e.g. with chrony)`;
}

/**
 * How safe a retry is: `rejected` = the service certainly did not act (429, refused connection);
 * `unknown` = it may have acted (5xx, reset, timeout): fine for reads, writes must re-read first.
 */
export type Transience = "none" | "rejected" | "unknown";

/** A failure turned into our error plus what a retry loop needs to know. */
export interface Classified {
  error: OciVnicError;
  transience: Transience;
  retryAfterMs: number | undefined;
}

/** Where a NOT_AUTHORIZED_OR_NOT_FOUND hint points: principal kind and compartment. */
export interface PolicyContext {
  principal: "instance" | "user" | "other";
  compartmentId: string | undefined;
}

interface ServiceErrorShape {
  statusCode: number;
  serviceCode?: string;
  message?: string;
  opcRequestId?: string | null;
}

function isServiceError(e: unknown): e is ServiceErrorShape {
  return (
    typeof e === "object" &&
    e !== null &&
    typeof (e as { statusCode?: unknown }).statusCode === "number" &&
    (e as { statusCode: number }).statusCode >= 100
  );
}

/** The IAM statement that lets our principal manage private IPs (as in the tutorial). */
export function policyHintFor(ctx: PolicyContext): string {
  const who =
    ctx.principal === "instance"
      ? "dynamic-group <a dynamic group matching this instance>"
      : "group <a group of this user>";
  const where = ctx.compartmentId
    ? `compartment id ${ctx.compartmentId}`
    : "compartment id <compartment OCID>";
  return `Allow ${who} to use virtual-network-family in ${where}`;
}

/** Parses `Retry-After` (seconds or HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function codeFor(status: number, serviceCode: string): [OciVnicErrorCode, Transience] {
  if (status === 401) return ["NOT_AUTHENTICATED", "none"];
  if (status === 404 || status === 403) return ["NOT_AUTHORIZED_OR_NOT_FOUND", "none"];
  if (status === 429) return ["THROTTLED", "rejected"];
  if (status === 409) return ["CONFLICT", serviceCode === "IncorrectState" ? "rejected" : "none"];
  if (status === 412) return ["CONFLICT", "none"];
  if (/LimitExceeded|QuotaExceeded/i.test(serviceCode)) return ["LIMIT_EXCEEDED", "none"];
  if (status === 400 || status === 422) return ["INVALID_PARAMETER", "none"];
  if (status === 500 || status === 502 || status === 503 || status === 504) {
    return ["SERVICE_UNAVAILABLE", "unknown"];
  }
  return ["UNEXPECTED", "none"];
}

function transportCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let depth = 0; depth < 4 && typeof cur === "object" && cur !== null; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z_]+$/.test(code)) return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Maps anything an SDK call threw into a {@link Classified} failure. */
export function classifyFailure(
  thrown: unknown,
  record: AttemptRecord,
  deadline: Deadline,
  operation: string,
  policy: PolicyContext,
): Classified {
  const interrupted = deadline.interruption(operation, thrown);
  if (interrupted) return { error: interrupted, transience: "none", retryAfterMs: undefined };
  if (thrown instanceof OciVnicError) {
    return { error: thrown, transience: "none", retryAfterMs: undefined };
  }
  if (isServiceError(thrown)) {
    const serviceCode = thrown.serviceCode ?? "None";
    const [code, transience] = codeFor(thrown.statusCode, serviceCode);
    const opcRequestId = thrown.opcRequestId ?? record.opcRequestId;
    const retryAfterMs = parseRetryAfter(record.retryAfter);
    const policyHint = code === "NOT_AUTHORIZED_OR_NOT_FOUND" ? policyHintFor(policy) : undefined;
    const skew = thrown.statusCode === 401 ? clockSkewNote(record.serverDate) : "";
    const suffix = `${skew}${policyHint ? `; if the resource exists, grant access: ${policyHint}` : ""}`;
    const message =
      `${operation} failed: HTTP ${thrown.statusCode} ${serviceCode}: ` +
      `${truncate(thrown.message ?? "", 200)}${suffix} (opc-request-id ${opcRequestId ?? "none"})`;
    const error = new OciVnicError(
      code,
      message,
      {
        operation,
        status: thrown.statusCode,
        serviceCode,
        opcRequestId: opcRequestId ?? undefined,
        policyHint,
        retryAfterMs,
      },
      { cause: thrown },
    );
    return { error, transience, retryAfterMs };
  }
  const tcode = transportCode(record.transportError) ?? transportCode(thrown);
  if (record.attemptTimedOut) {
    const error = new OciVnicError(
      "SERVICE_UNAVAILABLE",
      `${operation} got no answer in time (attempt timed out)`,
      { operation },
      { cause: record.transportError ?? thrown },
    );
    return { error, transience: "unknown", retryAfterMs: undefined };
  }
  if (tcode !== undefined || record.transportError !== undefined) {
    // EPROXYTUNNEL: the proxy could not open a tunnel to the service (nothing reached it).
    const refused =
      tcode === "ECONNREFUSED" ||
      tcode === "ENOTFOUND" ||
      tcode === "EAI_AGAIN" ||
      tcode === "EPROXYTUNNEL";
    const error = new OciVnicError(
      "SERVICE_UNAVAILABLE",
      `${operation} could not reach the service (${tcode ?? "network error"})`,
      { operation },
      { cause: record.transportError ?? thrown },
    );
    return { error, transience: refused ? "rejected" : "unknown", retryAfterMs: undefined };
  }
  const text =
    thrown instanceof Error
      ? thrown.message
      : String((thrown as { message?: unknown })?.message ?? thrown);
  const error = new OciVnicError(
    "UNEXPECTED",
    `${operation} failed unexpectedly: ${truncate(text, 200)}`,
    { operation },
    { cause: thrown },
  );
  return { error, transience: "none", retryAfterMs: undefined };
}
