import { describe, expect, it } from "vitest";
import { isOciVnicError } from "./errors.js";
import { parseNoProxy, parseProxyUrl, proxyFor, resolveProxy } from "./proxy.js";

const env = (vars: Record<string, string>) => vars as NodeJS.ProcessEnv;

/** Whether `url` is proxied under `HTTPS_PROXY`/`HTTP_PROXY` set and `NO_PROXY=noProxy`. */
function proxied(noProxy: string, url: string): boolean {
  const settings = resolveProxy(
    undefined,
    env({
      HTTPS_PROXY: "http://proxy.test:3128",
      HTTP_PROXY: "http://proxy.test:3128",
      NO_PROXY: noProxy,
    }),
  );
  return proxyFor(new URL(url), settings) !== undefined;
}

describe("NO_PROXY matching", () => {
  it.each([
    // [NO_PROXY, target, proxied?]
    ["", "https://iaas.us-ashburn-1.oraclecloud.com/", true],
    ["*", "https://iaas.us-ashburn-1.oraclecloud.com/", false],
    ["oraclecloud.com", "https://iaas.us-ashburn-1.oraclecloud.com/", false],
    ["oraclecloud.com", "https://oraclecloud.com/", false],
    [".oraclecloud.com", "https://iaas.us-ashburn-1.oraclecloud.com/", false],
    [".oraclecloud.com", "https://oraclecloud.com/", false],
    ["*.oraclecloud.com", "https://auth.eu-frankfurt-1.oraclecloud.com/", false],
    ["ORACLECLOUD.COM", "https://iaas.us-ashburn-1.oraclecloud.com/", false],
    ["oraclecloud.com.", "https://iaas.us-ashburn-1.oraclecloud.com./", false],
    // label boundary: a suffix of the text is no match
    ["cloud.com", "https://iaas.us-ashburn-1.oraclecloud.com/", true],
    ["racle.com", "https://oracle.com/", true],
    ["iaas.us-ashburn-1.oraclecloud.com", "https://auth.us-ashburn-1.oraclecloud.com/", true],
    // several entries, comma and/or space separated
    ["example.com, oraclecloud.com", "https://iaas.us-ashburn-1.oraclecloud.com/", false],
    ["example.com oraclecloud.com", "https://iaas.us-ashburn-1.oraclecloud.com/", false],
    ["example.com,,  example.net", "https://iaas.us-ashburn-1.oraclecloud.com/", true],
    // ports
    ["oraclecloud.com:443", "https://iaas.us-ashburn-1.oraclecloud.com/", false],
    ["oraclecloud.com:8443", "https://iaas.us-ashburn-1.oraclecloud.com/", true],
    ["oraclecloud.com:8443", "https://iaas.us-ashburn-1.oraclecloud.com:8443/", false],
    ["example.test:80", "http://api.example.test/", false],
    // IP literals and CIDR blocks (a name never matches an IP rule, nor an IP a name rule)
    ["192.0.2.10", "https://192.0.2.10/", false],
    ["192.0.2.10", "https://192.0.2.11/", true],
    ["192.0.2.0/24", "https://192.0.2.77/", false],
    ["192.0.2.0/24", "https://198.51.100.1/", true],
    ["10.0.0.0/8", "https://10.200.3.4:8443/", false],
    ["192.0.2.10:443", "https://192.0.2.10/", false],
    ["192.0.2.10:443", "https://192.0.2.10:8443/", true],
    ["192.0.2.0/24", "https://api.example.test/", true],
    ["2.10", "https://192.0.2.10/", true],
    ["2001:db8::1", "https://[2001:db8::1]/", false],
    ["[2001:db8::1]", "https://[2001:db8::1]/", false],
    ["[2001:db8::1]:443", "https://[2001:db8::1]/", false],
    ["[2001:db8::1]:8443", "https://[2001:db8::1]/", true],
    ["2001:DB8:0::1", "https://[2001:db8::1]/", false],
    ["2001:db8::/32", "https://[2001:db8:5::7]/", false],
    ["2001:db8::/32", "https://[2001:db9::7]/", true],
    ["192.0.2.0/24", "https://[::ffff:192.0.2.9]/", false],
  ])("NO_PROXY=%j, %s → proxied %s", (noProxy, url, expected) => {
    expect(proxied(noProxy, url)).toBe(expected);
  });
});

describe("never proxied: loopback and the metadata service", () => {
  it.each([
    "http://169.254.169.254/opc/v2/instance/",
    "https://169.254.0.1/",
    "http://[fe80::1]/",
    "http://[fe80::a9fe:a9fe]/",
    "http://[fd00:c1::a9fe:a9fe]/opc/v2/",
    "http://127.0.0.1:8080/",
    "https://127.1.2.3/",
    "http://[::1]:8080/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:169.254.169.254]/",
    "http://localhost:8080/",
    "https://emu.localhost/",
  ])("%s goes directly, even with an empty NO_PROXY", (url) => {
    expect(proxied("", url)).toBe(false);
  });

  it("near neighbours of those ranges are proxied", () => {
    for (const url of [
      "https://169.255.0.1/",
      "https://128.0.0.1/",
      "https://[fec0::1]/",
      "https://[fd00:c1::a9fe:a9ff]/",
      "https://localhost.example.test/",
    ]) {
      expect(proxied("", url), url).toBe(true);
    }
  });
});

describe("proxy selection from the environment and the option", () => {
  it("takes https_proxy for https and http_proxy for http; lower-case wins", () => {
    const s = resolveProxy(
      undefined,
      env({
        HTTPS_PROXY: "http://upper.test:1",
        https_proxy: "http://lower.test:2",
        HTTP_PROXY: "http://plain-upper.test:3",
      }),
    );
    expect(proxyFor(new URL("https://iaas.example.test/"), s)).toMatchObject({
      host: "lower.test",
      port: 2,
    });
    expect(proxyFor(new URL("http://iaas.example.test/"), s)).toMatchObject({
      host: "plain-upper.test",
      port: 3,
    });
    // No https proxy configured: https targets go directly even though HTTP_PROXY is set.
    const httpOnly = resolveProxy(undefined, env({ HTTP_PROXY: "http://p.test:3128" }));
    expect(proxyFor(new URL("https://iaas.example.test/"), httpOnly)).toBeUndefined();
    expect(proxyFor(new URL("http://iaas.example.test/"), httpOnly)).toMatchObject({ port: 3128 });
  });

  it("no_proxy wins over NO_PROXY; empty values count as unset", () => {
    const s = resolveProxy(
      undefined,
      env({ HTTPS_PROXY: "http://p.test:3128", NO_PROXY: "*", no_proxy: "example.test" }),
    );
    expect(proxyFor(new URL("https://iaas.example.test/"), s)).toBeUndefined();
    expect(proxyFor(new URL("https://iaas.example.net/"), s)).toBeDefined();
    expect(resolveProxy(undefined, env({ HTTPS_PROXY: " ", https_proxy: "" }))).toBeUndefined();
    expect(resolveProxy(undefined, env({}))).toBeUndefined();
  });

  it("the option replaces the environment; false turns proxies off", () => {
    const vars = env({ HTTPS_PROXY: "http://from-env.test:1", NO_PROXY: "example.test" });
    expect(resolveProxy(false, vars)).toBeUndefined();
    const s = resolveProxy({ httpsProxy: "http://from-option.test:2" }, vars);
    // NO_PROXY from the environment is not read either.
    expect(proxyFor(new URL("https://iaas.example.test/"), s)).toMatchObject({
      host: "from-option.test",
    });
    expect(resolveProxy({}, vars)).toBeUndefined();
  });

  it("parses credentials into Proxy-Authorization and shows the proxy without them", () => {
    const p = parseProxyUrl("HTTPS_PROXY", "http://us%40er:p%3Ass@proxy.test:3128/");
    expect(p.authorization).toBe(`Basic ${Buffer.from("us@er:p:ss").toString("base64")}`);
    expect(p.shown).toBe("http://***@proxy.test:3128");
    expect(parseProxyUrl("HTTPS_PROXY", "proxy.test:8080")).toMatchObject({
      host: "proxy.test",
      port: 8080,
      authorization: undefined,
      shown: "http://proxy.test:8080",
    });
    expect(parseProxyUrl("HTTPS_PROXY", "http://[2001:db8::5]")).toMatchObject({
      host: "2001:db8::5",
      port: 80,
      tls: false,
    });
    expect(parseProxyUrl("HTTPS_PROXY", "https://u:p@proxy.test")).toMatchObject({
      host: "proxy.test",
      port: 443,
      tls: true,
      shown: "https://***@proxy.test",
    });
  });

  it.each([
    ["HTTPS_PROXY", "https://user:s3cret@proxy.test:443/x", /an http:\/\/ or https:\/\/ proxy URL/],
    ["HTTPS_PROXY", "http://us%zzer:s3cret@proxy.test:1", /user info percent-encoded/],
    ["HTTPS_PROXY", "socks5://user:s3cret@proxy.test:1080", /an http:\/\/ or https:\/\/ proxy URL/],
    [
      "https_proxy",
      "http://user:s3cret@proxy.test:3128/path",
      /an http:\/\/ or https:\/\/ proxy URL/,
    ],
    ["HTTP_PROXY", "http://user:s3cret@proxy.test:99999", /an http:\/\/ or https:\/\/ proxy URL/],
    [
      "HTTP_PROXY",
      "http://user:s3cret@proxy.test:3128?x=1",
      /an http:\/\/ or https:\/\/ proxy URL/,
    ],
  ])("refuses %s=%s naming the variable, never quoting the password", (name, value, allowed) => {
    let error: unknown;
    try {
      resolveProxy(undefined, env({ [name]: value }));
    } catch (e) {
      error = e;
    }
    expect(isOciVnicError(error, "INVALID_PARAMETER")).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain(`invalid ${name}:`);
    expect(message).toMatch(allowed);
    expect(message).not.toContain("s3cret");
    expect((error as { parameter?: string }).parameter).toBe(name);
  });

  it("refuses bad NO_PROXY entries and option types, naming them", () => {
    expect(() =>
      resolveProxy(
        undefined,
        env({ HTTPS_PROXY: "http://p.test:1", no_proxy: "ok.test,bad/host" }),
      ),
    ).toThrow(/invalid no_proxy: expected comma-separated host names.*"bad\/host"/);
    expect(() => parseNoProxy("NO_PROXY", "example.test:0")).toThrow(/invalid NO_PROXY/);
    expect(() => resolveProxy({ httpsProxy: 3128 as unknown as string }, env({}))).toThrow(
      /invalid proxy.httpsProxy: expected a string/,
    );
    expect(() => resolveProxy({ httpsProxy: "ftp://p.test" }, env({}))).toThrow(
      /invalid proxy.httpsProxy/,
    );
    expect(() => resolveProxy("http://p" as never, env({}))).toThrow(/invalid proxy:/);
  });
});
