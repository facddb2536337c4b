import { createServer, type IncomingMessage, request, type Server } from "node:http";
import { createServer as createTlsServer } from "node:https";
import { connect, type Socket } from "node:net";

/** A running test proxy and what it was asked to do. */
export interface TestProxy {
  /** `http://127.0.0.1:<port>` (`https://` with `tls`; no credentials). */
  readonly url: string;
  readonly port: number;
  /** CONNECT targets tunnelled (`host:port`), in order. */
  readonly tunnels: string[];
  /** Absolute-form requests forwarded (`METHOD http://host:port/path`), in order. */
  readonly forwards: string[];
  /** Requests refused with 407 (missing or wrong credentials). */
  readonly refusedAuth: number;
  stop(): Promise<void>;
}

/** Options of {@link startTestProxy}. */
export interface TestProxyOptions {
  /**
   * How the proxy resolves target host names (it never asks DNS): name → loopback address.
   * A target not in the map (or an IP literal not on loopback) is answered 502.
   */
  hosts: Record<string, string>;
  /** `user:password` the proxy demands in `Proxy-Authorization: Basic` (407 otherwise). */
  credentials?: string;
  /** Serve the proxy itself over TLS (an `https://` proxy) with this key and certificate. */
  tls?: { key: string; cert: string };
}

const loopback = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1)$/;

/**
 * A small real forward proxy on 127.0.0.1: `CONNECT host:port` is answered 200 and piped to the
 * target; absolute-form requests (`GET http://host/path`) are forwarded. Targets resolve only
 * through `hosts`, to loopback addresses: nothing leaves this machine.
 */
export async function startTestProxy(options: TestProxyOptions): Promise<TestProxy> {
  const tunnels: string[] = [];
  const forwards: string[] = [];
  let refusedAuth = 0;
  const sockets = new Set<Socket>();
  const expected = options.credentials
    ? `Basic ${Buffer.from(options.credentials).toString("base64")}`
    : undefined;
  const authorized = (req: IncomingMessage): boolean => {
    if (expected === undefined || req.headers["proxy-authorization"] === expected) return true;
    refusedAuth += 1;
    return false;
  };
  const resolve = (host: string): string | undefined => {
    const bare = host.replace(/^\[(.*)\]$/, "$1");
    const address = options.hosts[bare] ?? (loopback.test(bare) ? bare : undefined);
    return address !== undefined && loopback.test(address) ? address : undefined;
  };

  const handler = (req: IncomingMessage, res: import("node:http").ServerResponse): void => {
    if (!authorized(req)) {
      res.writeHead(407, { "proxy-authenticate": 'Basic realm="test"' }).end();
      return;
    }
    let target: URL;
    try {
      target = new URL(req.url ?? "");
    } catch {
      res.writeHead(400).end("absolute-form request expected");
      return;
    }
    forwards.push(`${req.method} ${target.href}`);
    const address = resolve(target.hostname);
    if (address === undefined || target.protocol !== "http:") {
      res.writeHead(502).end("unknown host");
      return;
    }
    const headers = { ...req.headers };
    delete headers["proxy-authorization"];
    const upstream = request(
      {
        host: address,
        port: Number(target.port || 80),
        method: req.method,
        path: `${target.pathname}${target.search}`,
        headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.writeHead(502).end("upstream failed"));
    req.pipe(upstream);
  };
  const server: Server = options.tls
    ? createTlsServer(options.tls, handler)
    : createServer(handler);
  server.on(options.tls ? "secureConnection" : "connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("connect", (req: IncomingMessage, client: Socket, head: Buffer) => {
    if (!authorized(req)) {
      client.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n',
      );
      return;
    }
    const authority = req.url ?? "";
    tunnels.push(authority);
    const match = /^(.*):(\d+)$/.exec(authority);
    const address = match ? resolve(match[1]!) : undefined;
    if (!match || address === undefined) {
      client.end("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    const upstream = connect({ host: address, port: Number(match[2]) }, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on("close", () => sockets.delete(upstream));
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const port = (server.address() as { port: number }).port;
  return {
    url: `${options.tls ? "https" : "http"}://127.0.0.1:${port}`,
    port,
    tunnels,
    forwards,
    get refusedAuth() {
      return refusedAuth;
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
