import dns from "node:dns";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createOciApiClient,
  createOciVnic,
  isOciVnicError,
  type OciVnicOptions,
} from "../src/index.js";
import { ensureLibraryBuilt } from "./build.js";
import { runChild } from "./child.js";
import { type Harness, recordConnections, startHarness } from "./harness.js";
import { startTestProxy, type TestProxy } from "./proxy-server.js";
import { selfSignedCertFor } from "./tls-cert.js";

// Behind a proxy the client does not resolve the service's name: the proxy does. Here the
// endpoints are named api.example.test / auth.example.test (RFC 6761: never real), and only the
// test proxy knows them, as 127.0.0.1: a request that skipped the proxy could not get anywhere.
const hosts = { "api.example.test": "127.0.0.1", "auth.example.test": "127.0.0.1" };

function named(url: string, host: string): string {
  const u = new URL(url);
  u.hostname = host;
  return u.href.replace(/\/$/, "");
}

let certDir: string;
let certPath: string;
let pair: { key: string; cert: string; certPath: string };
let plain: Harness; // the emulator over HTTP
let secure: Harness; // the emulator over HTTPS, with a certificate only NODE_EXTRA_CA_CERTS trusts
let proxy: TestProxy;
let n = 0;

// Safety net: should a request skip the proxy by mistake, its name must not reach a DNS server
// (network safety rule). Node's sockets resolve through dns.lookup: refuse the test names there.
const realLookup = dns.lookup;
const directLookups: string[] = [];
beforeAll(() => {
  dns.lookup = ((hostname: string, ...rest: unknown[]) => {
    if (hostname.endsWith(".example.test")) {
      directLookups.push(hostname);
      const callback = rest.at(-1) as (e: Error) => void;
      process.nextTick(
        callback,
        Object.assign(new Error(`refused lookup of ${hostname}`), { code: "ENOTFOUND" }),
      );
      return undefined;
    }
    return (realLookup as (...a: unknown[]) => unknown)(hostname, ...rest);
  }) as typeof dns.lookup;
});
afterAll(() => {
  dns.lookup = realLookup;
  // No request skipped the proxy.
  expect(directLookups).toEqual([]);
});

beforeAll(async () => {
  certDir = mkdtempSync(join(tmpdir(), "oci-vnic-proxy-"));
  pair = selfSignedCertFor(certDir, [
    "DNS:api.example.test",
    "DNS:auth.example.test",
    "IP:127.0.0.1",
  ]);
  certPath = pair.certPath;
  [plain, secure, proxy] = await Promise.all([
    startHarness(),
    startHarness({ tls: { key: pair.key, cert: pair.cert } }),
    startTestProxy({ hosts }),
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.all([plain?.stop(), secure?.stop(), proxy?.stop()]);
  rmSync(certDir, { recursive: true, force: true });
});

/** Client options against `h` with the API and federation endpoints named `api`/`auth`. */
function options(h: Harness, extra: Partial<OciVnicOptions> = {}, host?: string): OciVnicOptions {
  return {
    endpoints: {
      metadata: h.emu.urls.imds.node1,
      federation: named(h.emu.urls.federation, host ?? "auth.example.test"),
      api: named(h.emu.urls.api, host ?? "api.example.test"),
    },
    region: h.emu.region,
    cacheDir: join(h.dir, `proxy-${n++}`),
    retry: { baseDelayMs: 20, maxDelayMs: 100, attemptTimeoutMs: 3000 },
    ...extra,
  };
}

const getInstance = (id: string) => ({
  operation: "GetInstance",
  method: "GET" as const,
  path: "/instances/{instanceId}",
  pathParams: { instanceId: id },
});

function reset(p: TestProxy): void {
  p.tunnels.length = 0;
  p.forwards.length = 0;
}

describe("http:// endpoints through a proxy", () => {
  it("federation and API requests go in absolute form; the metadata service directly", async () => {
    reset(proxy);
    plain.emu.clearRequestLog();
    const connections = recordConnections();
    const vnics = createOciVnic(options(plain, { proxy: { httpProxy: proxy.url } }));
    try {
      expect(await vnics.getAssignment("192.0.2.100")).toBeUndefined();
    } finally {
      connections.stop();
    }
    const port = new URL(plain.emu.urls.api).port;
    expect(proxy.forwards).toContain(`POST http://auth.example.test:${port}/v1/x509`);
    expect(
      proxy.forwards.some((f) =>
        f.startsWith(`GET http://api.example.test:${port}/20160918/privateIps?`),
      ),
    ).toBe(true);
    // Only the named endpoints went to the proxy: the metadata service (127.0.0.1) never did.
    expect(proxy.forwards.every((f) => /^[A-Z]+ http:\/\/(api|auth)\.example\.test:/.test(f))).toBe(
      true,
    );
    const imdsPort = new URL(plain.emu.urls.imds.node1!).port;
    expect(connections.connections).toContain(`127.0.0.1:${imdsPort}`);
    const log = plain.emu.requestLog();
    expect(log.map((r) => r.operation)).toEqual(
      expect.arrayContaining(["Imds", "Federation", "ListPrivateIps"]),
    );
    expect(log.every((r) => r.signature === "ok" || r.signature === "n/a")).toBe(true);
  });

  it("sends Proxy-Authorization from the URL's credentials; a 407 is final and names no password", async () => {
    const guarded = await startTestProxy({ hosts, credentials: "agent:s3cret" });
    try {
      const node2 = plain.emu.scenario.instances.find((i) => i.name === "node2")!.id;
      const authed = `http://agent:s3cret@127.0.0.1:${guarded.port}`;
      const ok = createOciApiClient(
        options(plain, { auth: await plain.configAuth(), proxy: { httpProxy: authed } }),
      );
      expect((await ok.request<{ displayName: string }>(getInstance(node2))).body.displayName).toBe(
        "node2",
      );
      expect(guarded.forwards).toHaveLength(1);

      const wrong = `http://agent:WRONG-pw@127.0.0.1:${guarded.port}`;
      const bad = createOciApiClient(
        options(plain, { auth: await plain.configAuth(), proxy: { httpProxy: wrong } }),
      );
      const error = await bad
        .request(getInstance(node2), { timeoutMs: 5000 })
        .catch((e: unknown) => e);
      expect(isOciVnicError(error, "SERVICE_UNAVAILABLE")).toBe(true);
      const message = (error as Error).message;
      expect(message).toContain(`proxy http://***@127.0.0.1:${guarded.port} answered HTTP 407`);
      expect(message).toMatch(/proxy authentication required/);
      expect(message).not.toContain("WRONG-pw");
      expect(bad.requestCounts().GetInstance).toBe(1);
    } finally {
      await guarded.stop();
    }
  });

  it.each(["0.0.0.0", "0.0.0.0/8", "*", "192.0.2.1 0.0.0.0:PORT"])(
    "NO_PROXY=%s: the endpoint is reached directly, the proxy sees nothing",
    async (noProxy) => {
      // 0.0.0.0 is no loopback address to the proxy selection, but Linux connects it to this
      // host: a direct path that stays on this machine.
      const port = new URL(plain.emu.urls.api).port;
      reset(proxy);
      const node2 = plain.emu.scenario.instances.find((i) => i.name === "node2")!.id;
      const api = createOciApiClient(
        options(
          plain,
          {
            auth: await plain.configAuth(),
            proxy: { httpProxy: proxy.url, noProxy: noProxy.replace("PORT", port) },
          },
          "0.0.0.0",
        ),
      );
      expect(
        (await api.request<{ displayName: string }>(getInstance(node2))).body.displayName,
      ).toBe("node2");
      expect(proxy.forwards).toEqual([]);
    },
  );

  it("without a NO_PROXY match the same endpoint goes to the proxy (which cannot reach 0.0.0.0)", async () => {
    reset(proxy);
    const node2 = plain.emu.scenario.instances.find((i) => i.name === "node2")!.id;
    const api = createOciApiClient(
      options(
        plain,
        {
          auth: await plain.configAuth(),
          proxy: { httpProxy: proxy.url, noProxy: "0.0.0.1, example.test" },
        },
        "0.0.0.0",
      ),
    );
    const error = await api
      .request(getInstance(node2), { timeoutMs: 3000 })
      .catch((e: unknown) => e);
    expect(isOciVnicError(error)).toBe(true);
    expect(proxy.forwards[0]).toMatch(/^GET http:\/\/0\.0\.0\.0:\d+\/20160918\/instances\//);
  });
});

describe("https:// endpoints through a CONNECT tunnel", () => {
  it("verifies the service's certificate through the tunnel: an untrusted one is refused", async () => {
    reset(proxy);
    secure.emu.clearRequestLog();
    const node2 = secure.emu.scenario.instances.find((i) => i.name === "node2")!.id;
    const api = createOciApiClient(
      options(secure, { auth: await secure.configAuth(), proxy: { httpsProxy: proxy.url } }),
    );
    const error = await api
      .request(getInstance(node2), { timeoutMs: 5000 })
      .catch((e: unknown) => e);
    expect(isOciVnicError(error)).toBe(true);
    expect(String((error as Error).cause ?? "")).toMatch(/self-signed certificate/);
    // The tunnel was opened (the name went to the proxy), the request itself never arrived.
    expect(proxy.tunnels[0]).toBe(`api.example.test:${new URL(secure.emu.urls.api).port}`);
    expect(secure.emu.requestLog()).toEqual([]);
  });

  it("a proxy answering 407 to CONNECT: a final error naming the proxy, not the password", async () => {
    const guarded = await startTestProxy({ hosts, credentials: "agent:s3cret" });
    try {
      const node2 = secure.emu.scenario.instances.find((i) => i.name === "node2")!.id;
      for (const url of [guarded.url, `http://agent:WRONG-pw@127.0.0.1:${guarded.port}`]) {
        const api = createOciApiClient(
          options(secure, { auth: await secure.configAuth(), proxy: { httpsProxy: url } }),
        );
        const error = await api
          .request(getInstance(node2), { timeoutMs: 5000 })
          .catch((e: unknown) => e);
        expect(isOciVnicError(error, "SERVICE_UNAVAILABLE")).toBe(true);
        const message = (error as Error).message;
        expect(message).toMatch(
          /answered HTTP 407 Proxy Authentication Required to CONNECT api\.example\.test:\d+: proxy authentication required/,
        );
        expect(message).not.toContain("WRONG-pw");
        expect(api.requestCounts().GetInstance).toBe(1); // not retried
      }
      expect(guarded.refusedAuth).toBe(2);
    } finally {
      await guarded.stop();
    }
  });

  it("a proxy answering 502 to CONNECT (cannot reach the service) is retried like a refused connection", async () => {
    reset(proxy);
    const node2 = secure.emu.scenario.instances.find((i) => i.name === "node2")!.id;
    const api = createOciApiClient(
      options(
        secure,
        { auth: await secure.configAuth(), proxy: { httpsProxy: proxy.url } },
        "nowhere.example.test",
      ),
    );
    const error = await api
      .request(getInstance(node2), { timeoutMs: 1500 })
      .catch((e: unknown) => e);
    expect(isOciVnicError(error, "SERVICE_UNAVAILABLE", "TIMEOUT")).toBe(true);
    expect(String((error as Error).cause ?? (error as Error).message)).toMatch(
      /proxy http:\/\/127\.0\.0\.1:\d+ answered HTTP 502 Bad Gateway to CONNECT nowhere\.example\.test:\d+/,
    );
    expect(api.requestCounts().GetInstance).toBeGreaterThan(1);
    expect(proxy.tunnels.length).toBe(api.requestCounts().GetInstance);
  });

  it("a proxy that is down fails fast; one that never answers CONNECT is cut at the deadline", async () => {
    const node2 = secure.emu.scenario.instances.find((i) => i.name === "node2")!.id;
    // A port nothing listens on: take one, then close it.
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, "127.0.0.1", done));
    const deadPort = (closed.address() as { port: number }).port;
    await new Promise<void>((done) => closed.close(() => done()));
    const down = createOciApiClient(
      options(secure, {
        auth: await secure.configAuth(),
        proxy: { httpsProxy: `http://agent:s3cret@127.0.0.1:${deadPort}` },
      }),
    );
    let t0 = Date.now();
    const refused = await down
      .request(getInstance(node2), { timeoutMs: 1500 })
      .catch((e: unknown) => e);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(isOciVnicError(refused)).toBe(true);
    expect(String((refused as Error).message)).toMatch(/TIMEOUT|ECONNREFUSED|could not reach/);
    expect(String((refused as Error).cause ?? "")).toContain(
      `cannot reach proxy http://***@127.0.0.1:${deadPort}`,
    );
    expect(JSON.stringify(refused)).not.toContain("s3cret");

    // Accepts the connection, reads the CONNECT, never answers.
    const held: Socket[] = [];
    const silent: Server = createServer((s) => {
      held.push(s);
      s.resume();
    });
    await new Promise<void>((done) => silent.listen(0, "127.0.0.1", done));
    try {
      const port = (silent.address() as { port: number }).port;
      const hung = createOciApiClient(
        options(secure, {
          auth: await secure.configAuth(),
          proxy: { httpsProxy: `http://127.0.0.1:${port}` },
          retry: { attemptTimeoutMs: 400, baseDelayMs: 10, maxDelayMs: 20 },
        }),
      );
      t0 = Date.now();
      const error = await hung
        .request(getInstance(node2), { timeoutMs: 1000 })
        .catch((e: unknown) => e);
      const took = Date.now() - t0;
      expect(isOciVnicError(error, "TIMEOUT", "SERVICE_UNAVAILABLE")).toBe(true);
      expect(took).toBeGreaterThanOrEqual(900);
      expect(took).toBeLessThan(2500);
      expect(held.length).toBeGreaterThanOrEqual(2); // each attempt opened a connection...
      await new Promise((r) => setTimeout(r, 50));
      expect(held.every((s) => s.destroyed || s.readableEnded)).toBe(true); // ...and dropped it
    } finally {
      for (const s of held) s.destroy();
      await new Promise<void>((done) => silent.close(() => done()));
    }
  });

  it("an https:// proxy whose certificate is not trusted is refused, naming the proxy", async () => {
    const tlsProxy = await startTestProxy({ hosts, tls: pair });
    try {
      const node2 = secure.emu.scenario.instances.find((i) => i.name === "node2")!.id;
      const api = createOciApiClient(
        options(secure, {
          auth: await secure.configAuth(),
          proxy: { httpsProxy: `https://agent:s3cret@127.0.0.1:${tlsProxy.port}` },
        }),
      );
      const error = await api
        .request(getInstance(node2), { timeoutMs: 800 })
        .catch((e: unknown) => e);
      expect(isOciVnicError(error)).toBe(true);
      expect(String((error as Error).cause ?? "")).toContain(
        `cannot reach proxy https://***@127.0.0.1:${tlsProxy.port}: self-signed certificate`,
      );
      expect(tlsProxy.tunnels).toEqual([]);
    } finally {
      await tlsProxy.stop();
    }
  });

  it.each(["http", "https"])(
    "built package, %s:// proxy from HTTPS_PROXY with credentials: federates, reads and moves the IP; no undici",
    async (scheme) => {
      const dist = await ensureLibraryBuilt();
      const guarded = await startTestProxy({
        hosts,
        credentials: "agent:s3cret",
        ...(scheme === "https" ? { tls: pair } : {}),
      });
      await secure.emu.compute.settled();
      secure.emu.reset();
      try {
        const config = {
          entry: `${dist}/index.js`,
          assign: true,
          options: { ...options(secure), cacheDir: join(secure.dir, `proxied-child-${scheme}`) },
        };
        secure.emu.clearRequestLog();
        const { stdout, stderr, status } = await runChild(config, {
          NODE_EXTRA_CA_CERTS: certPath,
          HTTPS_PROXY: `${scheme}://agent:s3cret@127.0.0.1:${guarded.port}`,
          NO_PROXY: "example.net, 192.0.2.0/24",
          // Lower-case spellings win when set: blank any this machine's environment has.
          https_proxy: "",
          no_proxy: "",
        });
        expect(stderr).toBe("");
        expect(status).toBe(0);
        const out = JSON.parse(stdout.trim().split("\n").at(-1)!) as {
          undiciAfterRead: boolean;
          code: string | undefined;
          counts: Record<string, number>;
        };
        expect(out.code).toBeUndefined();
        expect(out.undiciAfterRead).toBe(false);
        expect(out.counts).toMatchObject({ Federation: 1, ListPrivateIps: 3, CreatePrivateIp: 1 });
        const port = new URL(secure.emu.urls.api).port;
        expect(new Set(guarded.tunnels)).toEqual(
          new Set([`auth.example.test:${port}`, `api.example.test:${port}`]),
        );
        expect(guarded.refusedAuth).toBe(0);
        const log = secure.emu.requestLog();
        expect(log.map((r) => r.operation)).toEqual(
          expect.arrayContaining(["Imds", "Federation", "CreatePrivateIp"]),
        );
        expect(log.every((r) => r.signature === "ok" || r.signature === "n/a")).toBe(true);
        expect(secure.emu.state().privateIps.some((p) => p.ipAddress === "192.0.2.100")).toBe(true);
      } finally {
        await guarded.stop();
      }
    },
    120_000,
  );
});
