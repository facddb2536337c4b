import type { ClientRequest, IncomingMessage, RequestOptions } from "node:http";
import type { Socket } from "node:net";
import { OciVnicError } from "./errors.js";
import { type HeaderSource, LiteHeaders } from "./lite-headers.js";
import { type ProxyServer, type ProxySettings, proxyFor } from "./proxy.js";

/** What {@link httpFetch} sends. */
export interface HttpInit {
  method?: string | undefined;
  headers?: Record<string, string> | HeaderSource | undefined;
  body?: string | undefined;
  signal?: AbortSignal | undefined;
  /** Larger response bodies are refused with code `ERESPONSETOOLARGE` (default 16 MiB). */
  maxBodyBytes?: number | undefined;
  /** Proxy settings (see proxy.ts); requests they select go through the proxy. */
  proxy?: ProxySettings | undefined;
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
  const proxy = proxyFor(target, init.proxy);
  const method = init.method ?? "GET";
  let start: () => ClientRequest;
  if (proxy && target.protocol === "https:") {
    // CONNECT first (under the same signal), then TLS to the target over the tunnel, verified
    // as a direct connection is (servername and certificate checks of the target host).
    const tunnel = await openTunnel(proxy, target, signal);
    start = () => request(target, { method, headers, createConnection: () => tunnel });
  } else if (proxy) {
    // Plain HTTP through a proxy: the absolute-form request line (RFC 9112, section 3.2.2).
    if (proxy.authorization) headers["proxy-authorization"] = proxy.authorization;
    headers.host = target.host;
    const connectTls = proxy.tls ? await proxyTlsConnector(proxy) : undefined;
    start = () =>
      request(target, {
        method,
        headers,
        hostname: proxy.host,
        port: proxy.port,
        path: target.href,
        ...(connectTls ? { createConnection: connectTls } : {}),
      });
  } else {
    start = () => request(target, { method, headers });
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
    const req = start();
    const onAbort = (): void => {
      req.destroy();
      finish(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    if (signal?.aborted) onAbort();
    req.on("error", (e) => finish(e));
    req.on("response", (res) => {
      if (proxy && res.statusCode === 407) {
        // The proxy's answer, not the service's: say so instead of passing it on as an API error.
        res.resume();
        finish(tunnelRefused(proxy, target, 407, res.statusMessage ?? "", "request"));
        return;
      }
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

/**
 * The error for a proxy's refusal, in words. 407 and other 4xx are final OciVnicErrors (no retry
 * can fix them); 5xx and 429 are transport errors (`EPROXYTUNNEL`), retried as a refused connection.
 */
function tunnelRefused(
  proxy: ProxyServer,
  target: URL,
  status: number,
  reason: string,
  kind: "CONNECT" | "request" = "CONNECT",
): Error {
  const to = kind === "CONNECT" ? `CONNECT ${target.host}` : `the request for ${target.origin}`;
  const what = `proxy ${proxy.shown} answered HTTP ${status} ${reason} to ${to}`;
  if (status === 407) {
    return new OciVnicError(
      "SERVICE_UNAVAILABLE",
      `${what}: proxy authentication required (${proxy.authorization ? "check the user and password in" : "put user:password@ into"} the proxy URL)`,
      { status },
    );
  }
  if (status >= 500 || status === 429) {
    // The proxy could not reach the service now: nothing was sent, so as a refused connection.
    return Object.assign(new Error(what), { code: "EPROXYTUNNEL", status });
  }
  return new OciVnicError("SERVICE_UNAVAILABLE", `${what}: the proxy refuses this destination`, {
    status,
  });
}

/** For an `https://` proxy: opens TLS to the proxy, its certificate verified for its host. */
async function proxyTlsConnector(proxy: ProxyServer): Promise<() => Socket> {
  const [net, tls] = await Promise.all([import("node:net"), import("node:tls")]);
  const sni = net.isIP(proxy.host) === 0 ? { servername: proxy.host } : {};
  return () => tls.connect({ host: proxy.host, port: proxy.port, ...sni });
}

/**
 * Opens an HTTP `CONNECT` tunnel to `target` through `proxy` and starts TLS to the target over
 * it (default CA store, so `NODE_EXTRA_CA_CERTS` applies). Abort or failure destroys the socket.
 */
async function openTunnel(
  proxy: ProxyServer,
  target: URL,
  signal: AbortSignal | undefined,
): Promise<Socket> {
  const [net, tls] = await Promise.all([import("node:net"), import("node:tls")]);
  const hostname = target.hostname.replace(/^\[(.*)\]$/, "$1");
  const port = Number(target.port || 443);
  const authority = `${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`;
  const connectTls = proxy.tls ? await proxyTlsConnector(proxy) : undefined;
  const raw = await new Promise<Socket>((resolve, reject) => {
    const socket = connectTls ? connectTls() : net.connect({ host: proxy.host, port: proxy.port });
    let head = Buffer.alloc(0);
    const done = (error: unknown): void => {
      signal?.removeEventListener("abort", onAbort);
      socket.removeListener("data", onData);
      socket.removeListener("error", onError);
      socket.removeListener("close", onClose);
      if (error === undefined) {
        socket.pause();
        resolve(socket);
      } else {
        socket.destroy();
        reject(error);
      }
    };
    const onAbort = (): void => done(signal?.reason);
    const onError = (e: Error & { code?: string }): void =>
      done(
        Object.assign(new Error(`cannot reach proxy ${proxy.shown}: ${e.message}`), {
          code: e.code,
          cause: e,
        }),
      );
    const onClose = (): void =>
      done(
        Object.assign(new Error(`proxy ${proxy.shown} closed the connection during CONNECT`), {
          code: "ECONNRESET",
        }),
      );
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) {
        if (head.length > 16 * 1024)
          done(new Error(`proxy ${proxy.shown}: oversized CONNECT answer`));
        return;
      }
      const statusLine = head.subarray(0, head.indexOf("\r\n")).toString("latin1");
      const match = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(statusLine);
      if (!match) {
        done(
          new Error(
            `proxy ${proxy.shown} sent no HTTP answer to CONNECT: ${statusLine.slice(0, 80)}`,
          ),
        );
        return;
      }
      const status = Number(match[1]);
      if (status < 200 || status > 299) {
        done(tunnelRefused(proxy, target, status, match[2] ?? ""));
        return;
      }
      // Bytes after the answer would be the target's, before TLS started: none are expected.
      if (head.length > end + 4) socket.unshift(head.subarray(end + 4));
      done(undefined);
    };
    socket.on("data", onData);
    socket.on("error", onError);
    socket.on("close", onClose);
    signal?.addEventListener("abort", onAbort, { once: true });
    if (signal?.aborted) onAbort();
    const lines = [`CONNECT ${authority} HTTP/1.1`, `Host: ${authority}`];
    if (proxy.authorization) lines.push(`Proxy-Authorization: ${proxy.authorization}`);
    socket.write(`${lines.join("\r\n")}\r\n\r\n`);
  });
  const isIp = net.isIP(hostname) !== 0;
  return tls.connect({
    socket: raw,
    host: hostname,
    ...(isIp ? {} : { servername: hostname }),
  });
}
