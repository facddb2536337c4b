import type { SignatureVerdict } from "./signature.js";

/** One request as the emulator saw it. */
export interface RequestLogEntry {
  /** ISO time the request arrived. */
  time: string;
  /** HTTP method. */
  method: string;
  /** Path without the query string. */
  path: string;
  /** OCI operation name (`ListPrivateIps`, `Imds`, `Federation`, ...), or `Unknown`. */
  operation: string;
  /** `user:<name>` or `instance:<name>` when the signature verified. */
  principal?: string;
  /** HTTP status sent; 0 when the connection was reset or left hanging by a fault. */
  status: number;
  /** `ok`, `missing`, `invalid`, or `n/a` (metadata service, admin). */
  signature: SignatureVerdict;
  /** The instance the request concerns (metadata service, federation, instance principal). */
  instance?: string;
  /** Id of the fault that affected the request. */
  fault?: string;
  /** Why the signature was refused, when it was. */
  reason?: string;
  /** The `opc-request-id` the emulator answered with (an SDK error's `opcRequestId`). */
  requestId: string;
  /** Time spent serving the request. */
  durationMs: number;
}

/** A bounded in-memory request log (oldest entries dropped past `capacity`). */
export interface RequestLog {
  push(entry: RequestLogEntry): void;
  entries(): RequestLogEntry[];
  clear(): void;
}

/** Creates a {@link RequestLog}. */
export function createRequestLog(capacity = 10_000): RequestLog {
  let entries: RequestLogEntry[] = [];
  return {
    push(entry) {
      entries.push(entry);
      if (entries.length > capacity * 1.1) entries = entries.slice(-capacity);
    },
    entries: () => entries.slice(-capacity).map((e) => ({ ...e })),
    clear() {
      entries = [];
    },
  };
}
