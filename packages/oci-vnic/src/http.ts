import type { ClientRequest, IncomingMessage, RequestOptions } from "node:http";
import { type HeaderSource, LiteHeaders } from "./lite-headers.js";

/** What {@link httpFetch} sends. */
export interface HttpInit {
  method?: string | undefined;
  headers?: Record<string, string> | HeaderSource | undefined;
  body?: string | undefined;
  signal?: AbortSignal | undefined;
  /** Larger response bodies are refused with code `ERESPONSETOOLARGE` (default 16 MiB). */
  maxBodyBytes?: number | undefined;
}

/** The part of a WHATWG `Response` that the OCI SDK and this package read. */
export interface HttpResponse {
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly url: string;
  readonly headers: LiteHeaders;
  text(): Promise<string>;
  json(): Promise<unknown>;
}

/** A `fetch`-shaped function: what the metadata client calls (tests may pass their own). */
export type FetchLike = (url: string | URL, init: HttpInit) => Promise<HttpResponse>;

/** Bodies larger than this are refused by default: no OCI answer we read comes near it. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

class BufferedResponse implements HttpResponse {
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly url: string;
  readonly headers: LiteHeaders;
  readonly #body: Buffer;

  constructor(url: string, res: IncomingMessage, body: Buffer) {
    this.url = url;
    this.status = res.statusCode ?? 0;
    this.statusText = res.statusMessage ?? "";
    this.ok = this.status >= 200 && this.status <= 299;
    this.headers = new LiteHeaders();
    for (const [name, value] of Object.entries(res.headers)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) this.headers.append(name, v);
    }
    this.#body = body;
  }

  async text(): Promise<string> {
    return this.#body.toString("utf8");
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.#body.toString("utf8"));
  }
}

/** Builds a response from parts (for answers made up locally, such as an abandoned request). */
export function localResponse(status: number, body: string): HttpResponse {
  const fake = { statusCode: status, statusMessage: "", headers: {} } as IncomingMessage;
  return new BufferedResponse("", fake, Buffer.from(body, "utf8"));
}

function headerRecord(headers: HttpInit["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers === undefined) return out;
  if (typeof (headers as HeaderSource).forEach === "function") {
    (headers as HeaderSource).forEach((value, name) => {
      out[name.toLowerCase()] = value;
    });
  } else {
    for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  }
  return out;
}

type RequestFn = (url: URL, options: RequestOptions) => ClientRequest;

async function requestFor(protocol: string): Promise<RequestFn> {
  // Loaded on demand: `https` brings TLS, which a plain-HTTP endpoint (the metadata service, a
  // local emulator) does not need.
  if (protocol === "http:") return (await import("node:http")).request;
  if (protocol === "https:") return (await import("node:https")).request;
  throw new TypeError(`unsupported URL scheme ${protocol} (only http: and https:)`);
}

/**
 * One HTTP request with Node's `http`/`https` modules, answered fetch-style but fully buffered.
 * Redirects are never followed (OCI endpoints do not redirect: a 3xx is returned as it is).
 * Transport failures reject with Node's error (its `code`: ECONNREFUSED, ECONNRESET, ...); an
 * abort rejects with the signal's reason. Node's `fetch` would do the same job, but it loads
 * undici, whose start-up cost dominates a short-lived agent process that makes one request.
 */
export async function httpFetch(url: string | URL, init: HttpInit = {}): Promise<HttpResponse> {
  const target = typeof url === "string" ? new URL(url) : url;
  const request = await requestFor(target.protocol);
  const { signal } = init;
  const maxBodyBytes = init.maxBodyBytes ?? MAX_BODY_BYTES;
  signal?.throwIfAborted();
  const headers = headerRecord(init.headers);
  const body = init.body === undefined ? undefined : Buffer.from(init.body, "utf8");
  if (body !== undefined && headers["content-length"] === undefined) {
    headers["content-length"] = String(body.length);
  }
  return new Promise<HttpResponse>((resolve, reject) => {
    let settled = false;
    const finish = (error: unknown, response?: HttpResponse): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      if (response) resolve(response);
      else reject(error);
    };
    const req = request(target, { method: init.method ?? "GET", headers });
    const onAbort = (): void => {
      req.destroy();
      finish(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    req.on("error", (e) => finish(e));
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBodyBytes) {
          const e = Object.assign(
            new Error(`response body from ${target.origin} exceeds ${maxBodyBytes} bytes`),
            { code: "ERESPONSETOOLARGE" },
          );
          finish(e);
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      res.on("error", (e) => finish(e));
      res.on("end", () =>
        finish(undefined, new BufferedResponse(target.href, res, Buffer.concat(chunks))),
      );
      res.on("close", () => {
        const e = new Error(`connection to ${target.origin} closed before the response ended`);
        finish(Object.assign(e, { code: "ECONNRESET" }));
      });
    });
    req.end(body);
  });
}
