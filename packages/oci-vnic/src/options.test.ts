import { describe, expect, it } from "vitest";
import { defaultMetadataUrl, resolveOptions } from "./options.js";

describe("options", () => {
  it("defaults to instance principals and the real metadata service", () => {
    const o = resolveOptions();
    expect(o.auth).toEqual({ kind: "instance-principal" });
    expect(o.metadataUrl).toBe(defaultMetadataUrl);
    expect(o.federationUrl).toBeUndefined();
    expect(o.apiUrl).toBeUndefined();
    expect(o.retry.maxAttempts).toBeGreaterThan(1);
  });

  it("normalises endpoints and rejects unsafe ones, naming the parameter", () => {
    const o = resolveOptions({
      endpoints: { metadata: "http://127.0.0.1:9/imds/node1/opc/v2", api: "http://127.0.0.1:9/" },
    });
    expect(o.metadataUrl).toBe("http://127.0.0.1:9/imds/node1/opc/v2/");
    expect(o.apiUrl).toBe("http://127.0.0.1:9");
    expect(() => resolveOptions({ endpoints: { api: "ftp://x" } })).toThrow(
      /invalid endpoints\.api/,
    );
    // Refused, and quoted without the credentials.
    expect(() =>
      resolveOptions({ endpoints: { federation: "http://admin:hunter2@127.0.0.1" } }),
    ).toThrow(/invalid endpoints\.federation: .*got "http:\/\/\*\*\*@127\.0\.0\.1"/);
    expect(() => resolveOptions({ endpoints: { api: "http://127.0.0.1/?q=1" } })).toThrow(
      /endpoints\.api/,
    );
  });

  it("rejects bad auth, region, timeouts and retry policies", () => {
    expect(() => resolveOptions({ auth: { kind: "magic" } as never })).toThrow(
      /invalid auth\.kind/,
    );
    expect(() => resolveOptions({ auth: { kind: "provider", provider: {} as never } })).toThrow(
      /auth\.provider/,
    );
    expect(() => resolveOptions({ region: "US East" })).toThrow(/invalid region/);
    expect(() => resolveOptions({ defaultTimeoutMs: 0 })).toThrow(/defaultTimeoutMs/);
    expect(() => resolveOptions({ retry: { maxAttempts: 0 } })).toThrow(/retry\.maxAttempts/);
  });

  it("reads the proxy variables when the client is created; a bad one is INVALID_PARAMETER", () => {
    const saved = { ...process.env };
    try {
      for (const key of ["https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY"]) {
        delete process.env[key];
      }
      process.env.HTTPS_PROXY = "http://agent:s3cret@proxy.example.test:3128";
      expect(resolveOptions().proxy?.https).toMatchObject({
        host: "proxy.example.test",
        port: 3128,
        shown: "http://***@proxy.example.test:3128",
      });
      expect(resolveOptions({ proxy: false }).proxy).toBeUndefined();
      process.env.HTTPS_PROXY = "socks5://agent:s3cret@proxy.example.test:3128";
      let error: unknown;
      try {
        resolveOptions();
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ code: "INVALID_PARAMETER", parameter: "HTTPS_PROXY" });
      expect(String((error as Error).message)).not.toContain("s3cret");
      expect(() =>
        resolveOptions({ proxy: { httpsProxy: "http://ok.example.test:1" } }),
      ).not.toThrow();
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
  });
});
