import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { selfSignedLoopbackCert } from "../test/tls-cert.js";
import { httpFetch } from "./http.js";
import { LiteHeaders } from "./lite-headers.js";

// Real servers on 127.0.0.1 only; each test sets how the server answers.
type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
let handler: Handler = (_q, s) => s.end();
let server: Server;
let base: string;
const seen: Array<{
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}> = [];

function listen(s: Server): Promise<string> {
  return new Promise((resolve) =>
    s.listen(0, "127.0.0.1", () => resolve(`127.0.0.1:${(s.address() as AddressInfo).port}`)),
  );
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => {
      body += d.toString();
    });
    req.on("end", () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      handler(req, res, body);
    });
  });
  base = `http://${await listen(server)}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((r) => server.close(() => r()));
});
afterEach(() => {
  seen.length = 0;
});

describe("httpFetch", () => {
  it("sends method, headers (a record or a Headers) and body; answers status, headers and body", async () => {
    handler = (_q, res) => {
      res.statusCode = 201;
      res.statusMessage = "Made";
      res.setHeader("opc-request-id", "req-1");
      res.setHeader("set-cookie", ["a=1", "b=2"]);
      res.end(JSON.stringify({ ok: true }));
    };
    const headers = new LiteHeaders({ "Content-Type": "application/json", "X-Date": "now" });
    const res = await httpFetch(`${base}/20160918/privateIps?x=1`, {
      method: "POST",
      headers,
      body: '{"ipAddress":"192.0.2.10"}',
    });
    expect(res.status).toBe(201);
    expect(res.statusText).toBe("Made");
    expect(res.ok).toBe(true);
    expect(res.headers.get("opc-request-id")).toBe("req-1");
    expect(res.headers.get("set-cookie")).toBe("a=1, b=2");
    expect(await res.json()).toEqual({ ok: true });
    expect(seen[0]).toMatchObject({
      method: "POST",
      url: "/20160918/privateIps?x=1",
      body: '{"ipAddress":"192.0.2.10"}',
      headers: { "content-type": "application/json", "x-date": "now", "content-length": "26" },
    });

    await httpFetch(`${base}/plain`, { headers: { Authorization: "Bearer Oracle" } });
    expect(seen[1]).toMatchObject({ method: "GET", headers: { authorization: "Bearer Oracle" } });
  });

  it("answers an error status as a response, not a rejection, and never follows a redirect", async () => {
    handler = (req, res) => {
      if (req.url === "/moved") {
        res.writeHead(302, { location: `${base}/elsewhere` }).end();
        return;
      }
      res.writeHead(503).end("busy");
    };
    const res = await httpFetch(`${base}/x`);
    expect([res.status, res.ok, await res.text()]).toEqual([503, false, "busy"]);
    const moved = await httpFetch(`${base}/moved`);
    expect(moved.status).toBe(302);
    expect(seen.map((s) => s.url)).toEqual(["/x", "/moved"]);
  });

  it("rejects with Node's error code when nothing listens", async () => {
    const closed = createServer();
    const address = await listen(closed);
    await new Promise<void>((r) => closed.close(() => r()));
    await expect(httpFetch(`http://${address}/`)).rejects.toMatchObject({ code: "ECONNREFUSED" });
  });

  it("rejects with the signal's reason on abort, before or during the request", async () => {
    handler = () => {
      // never answers
    };
    const before = AbortSignal.abort(new Error("too late"));
    await expect(httpFetch(`${base}/`, { signal: before })).rejects.toThrow("too late");
    expect(seen).toHaveLength(0);
    const controller = new AbortController();
    const pending = httpFetch(`${base}/hang`, { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toHaveLength(1);
    controller.abort(new Error("deadline"));
    await expect(pending).rejects.toThrow("deadline");
  });

  it("rejects a body cut short and a body over the limit", async () => {
    handler = (req, res) => {
      if (req.url === "/big") {
        res.end("x".repeat(4096));
        return;
      }
      res.writeHead(200, { "content-length": "100" });
      res.write("partial");
      setTimeout(() => res.destroy(), 20);
    };
    await expect(httpFetch(`${base}/cut`)).rejects.toMatchObject({ code: "ECONNRESET" });
    await expect(httpFetch(`${base}/big`, { maxBodyBytes: 1024 })).rejects.toMatchObject({
      code: "ERESPONSETOOLARGE",
    });
    expect((await httpFetch(`${base}/big`)).status).toBe(200);
  });

  it("refuses schemes other than http and https", async () => {
    await expect(httpFetch("file:///etc/passwd")).rejects.toThrow(/only http: and https:/);
  });
});

describe("httpFetch over TLS", () => {
  let dir: string;
  let tls: Server;
  let origin: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "ocfk-tls-"));
    const { key, cert } = selfSignedLoopbackCert(dir);
    tls = createTlsServer({ key, cert }, (_q, res) => res.end("secret"));
    origin = `https://${await listen(tls)}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => tls.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  it("verifies the server certificate: an untrusted one is refused", async () => {
    await expect(httpFetch(`${origin}/`)).rejects.toMatchObject({
      code: "DEPTH_ZERO_SELF_SIGNED_CERT",
    });
  });

  it("trusts what Node trusts: a CA added with NODE_EXTRA_CA_CERTS (private endpoints)", async () => {
    const script = `import { httpFetch } from ${JSON.stringify(fileURLToPath(new URL("./http.ts", import.meta.url)))};
const res = await httpFetch(${JSON.stringify(`${origin}/`)});
process.stdout.write(res.status + " " + (await res.text()));`;
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script],
      {
        env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, "tls-cert.pem") },
      },
    );
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      out += d.toString();
    });
    const status = await new Promise((r) => child.on("exit", r));
    expect(out).toBe("200 secret");
    expect(status).toBe(0);
  }, 30_000);
});
