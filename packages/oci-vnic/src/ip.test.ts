import { describe, expect, it } from "vitest";
import { cidrContains, parseCidr, parseIp, sameIp, tryParseCidr, tryParseIp } from "./ip.js";

describe("ip parsing", () => {
  it("canonicalises IPv4 and IPv6 (RFC 5952)", () => {
    expect(parseIp("192.0.2.100").address).toBe("192.0.2.100");
    expect(parseIp("2001:DB8:0:1:0:0:0:100").address).toBe("2001:db8:0:1::100");
    expect(parseIp("2001:db8:0:0:1:0:0:1").address).toBe("2001:db8::1:0:0:1");
    expect(parseIp("::").address).toBe("::");
    expect(parseIp("::ffff:192.0.2.1").address).toBe("::ffff:c000:201");
    expect(parseIp("2001:db8:1:2:3:4:5:6").address).toBe("2001:db8:1:2:3:4:5:6");
  });

  it("rejects what is not an address, naming the parameter", () => {
    for (const bad of ["192.0.2.256", "192.0.2.0/24", "fe80::1%eth0", "", "abc", "1.2.3"]) {
      expect(tryParseIp(bad)).toBeUndefined();
    }
    expect(() => parseIp("10.0.0.300", "ip")).toThrow(/invalid ip: expected an IPv4 or IPv6/);
    expect(() => parseIp(42 as unknown as string)).toThrowError(
      expect.objectContaining({ code: "INVALID_PARAMETER" }),
    );
  });

  it("compares values, not strings (no substring match)", () => {
    expect(sameIp("2001:db8::1", "2001:DB8:0::1")).toBe(true);
    expect(sameIp("192.0.2.10", "192.0.2.100")).toBe(false);
    expect(sameIp("192.0.2.1", "::ffff:192.0.2.1")).toBe(false);
  });
});

describe("CIDR math", () => {
  it("parses blocks and clears host bits", () => {
    expect(parseCidr("192.0.2.77/24")).toMatchObject({ network: "192.0.2.0", prefixLength: 24 });
    expect(parseCidr("2001:db8:0:1::5/64")).toMatchObject({
      network: "2001:db8:0:1::",
      prefixLength: 64,
      family: 6,
    });
    expect(tryParseCidr("192.0.2.0/33")).toBeUndefined();
    expect(tryParseCidr("192.0.2.0")).toBeUndefined();
    expect(() => parseCidr("x/24", "subnet")).toThrow(/invalid subnet/);
  });

  it("tests containment per family, including edges", () => {
    const v4 = parseCidr("192.0.2.0/24");
    expect(cidrContains(v4, parseIp("192.0.2.0"))).toBe(true);
    expect(cidrContains(v4, parseIp("192.0.2.255"))).toBe(true);
    expect(cidrContains(v4, parseIp("192.0.3.0"))).toBe(false);
    expect(cidrContains(v4, parseIp("2001:db8::1"))).toBe(false);
    const v6 = parseCidr("2001:db8:0:1::/64");
    expect(cidrContains(v6, parseIp("2001:db8:0:1:ffff:ffff:ffff:ffff"))).toBe(true);
    expect(cidrContains(v6, parseIp("2001:db8:0:2::1"))).toBe(false);
    expect(cidrContains(parseCidr("0.0.0.0/0"), parseIp("203.0.113.9"))).toBe(true);
  });
});

describe("address validation agrees with node:net", async () => {
  const { isIP } = await import("node:net");
  const samples = [
    "0.0.0.0",
    "255.255.255.255",
    "01.2.3.4",
    "1.2.3",
    "1.2.3.4.5",
    "256.1.1.1",
    "1.2.3.04",
    "::",
    "::1",
    "1::",
    "2001:db8::1",
    "2001:db8:0:0:0:0:0:1",
    "2001:db8:0:0:0:0:0:0:1",
    "1:2:3:4:5:6:7::",
    "::1:2:3:4:5:6:7",
    "1::2::3",
    ":1:2",
    "1:2:",
    "::ffff:1.2.3.4",
    "1:2:3:4:5:6:1.2.3.4",
    "1:2:3:4:5:6:7:1.2.3.4",
    "12345::1",
    "g::1",
    "fe80::1%eth0",
    "",
  ];
  it.each(samples)("%s", (text) => {
    const family = tryParseIp(text)?.family ?? 0;
    expect(family).toBe(text.includes("%") ? 0 : isIP(text)); // zones are refused on purpose
  });
});
