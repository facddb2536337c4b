import type { RequestCounters } from "./counters.js";
import { allOrAbandon, type Deadline } from "./deadline.js";
import type { AttemptRecord, Classified } from "./error-map.js";
import { OciVnicError, truncate } from "./errors.js";
import { type FetchLike, httpFetch } from "./http.js";
import { type MetadataSnapshot, toSnapshot } from "./metadata.js";
import { defaultImdsRetryPolicy, type RetryPolicy, runWithRetries } from "./retry.js";

/** Our own client of the instance metadata service v2 (`Authorization: Bearer Oracle`). */
export interface ImdsClient {
  /** Base URL, always ending in `/` (e.g. `http://169.254.169.254/opc/v2/`). */
  readonly baseUrl: string;
  /** GETs `path` under the base URL and returns the body as text. */
  getText(path: string, deadline: Deadline): Promise<string>;
  /** Reads this instance and all its VNICs (2 requests). */
  fetchSnapshot(deadline: Deadline): Promise<MetadataSnapshot>;
}

/** Options of {@link createImdsClient}. */
export interface ImdsClientOptions {
  baseUrl: string;
  counters: RequestCounters;
  policy?: RetryPolicy | undefined;
  /** The HTTP function (default: {@link httpFetch}, Node's `http` without `fetch`'s load cost). */
  fetch?: FetchLike | undefined;
}

class HttpStatusError extends Error {
  readonly status: number;
  constructor(status: number, body: string) {
    super(`HTTP ${status}: ${truncate(body, 120)}`);
    this.status = status;
  }
}

function classifyImds(
  thrown: unknown,
  record: AttemptRecord,
  deadline: Deadline,
  path: string,
): Classified {
  const operation = "Imds";
  const interrupted = deadline.interruption(operation, thrown);
  if (interrupted) return { error: interrupted, transience: "none", retryAfterMs: undefined };
  const status = thrown instanceof HttpStatusError ? thrown.status : undefined;
  const reason = record.attemptTimedOut
    ? "no answer in time"
    : thrown instanceof Error
      ? thrown.message
      : String(thrown);
  const error = new OciVnicError(
    "METADATA_UNAVAILABLE",
    `instance metadata ${path} unavailable: ${reason}. Is this an OCI instance, and is the ` +
      "metadata endpoint right?",
    { operation, status },
    { cause: thrown },
  );
  const transient = status === undefined || status === 429 || status >= 500;
  return { error, transience: transient ? "unknown" : "none", retryAfterMs: undefined };
}

/** Creates an {@link ImdsClient}; no request is made until a method is called. */
export function createImdsClient(options: ImdsClientOptions): ImdsClient {
  const baseUrl = options.baseUrl.endsWith("/") ? options.baseUrl : `${options.baseUrl}/`;
  const policy = options.policy ?? defaultImdsRetryPolicy;
  const doFetch = options.fetch ?? httpFetch;

  const getText = (path: string, deadline: Deadline): Promise<string> =>
    runWithRetries({
      operation: "Imds",
      deadline,
      policy,
      retryWhen: (t) => t !== "none",
      classify: (thrown, record) => classifyImds(thrown, record, deadline, path),
      attempt: async (signal, record) => {
        options.counters.increment("Imds");
        try {
          const res = await doFetch(new URL(path, baseUrl), {
            headers: { Authorization: "Bearer Oracle", Accept: "application/json, text/plain" },
            signal,
          });
          const body = await res.text();
          if (!res.ok) throw new HttpStatusError(res.status, body);
          return body;
        } catch (e) {
          if (!(e instanceof HttpStatusError)) record.transportError = e;
          throw e;
        }
      },
    });

  const getJson = async (path: string, deadline: Deadline): Promise<unknown> => {
    const text = await getText(path, deadline);
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new OciVnicError(
        "METADATA_UNAVAILABLE",
        `instance metadata ${path} is not JSON: ${truncate(text, 80)}`,
        { operation: "Imds" },
        { cause: e },
      );
    }
  };

  return {
    baseUrl,
    getText,
    async fetchSnapshot(deadline) {
      const [instanceDoc, vnicsDoc, schemas] = await allOrAbandon<
        [unknown, unknown, typeof import("./imds-schema.js")]
      >(deadline, [
        (d) => getJson("instance/", d),
        (d) => getJson("vnics/", d),
        () => import("./imds-schema.js"),
      ]);
      const instance = schemas.imdsInstanceSchema.safeParse(instanceDoc, schemas.parseContext());
      const vnics = schemas.imdsVnicsSchema.safeParse(vnicsDoc, schemas.parseContext());
      if (!instance.success || !vnics.success) {
        const issue = (instance.error ?? vnics.error)?.issues[0];
        throw new OciVnicError(
          "METADATA_UNAVAILABLE",
          `instance metadata has an unexpected shape at ${issue?.path.join(".") || "(root)"}: ` +
            `${issue?.message ?? "invalid"}`,
          { operation: "Imds" },
        );
      }
      if (vnics.data.length === 0) {
        throw new OciVnicError("METADATA_UNAVAILABLE", "instance metadata lists no VNICs", {
          operation: "Imds",
        });
      }
      return toSnapshot(instance.data, vnics.data);
    },
  };
}
