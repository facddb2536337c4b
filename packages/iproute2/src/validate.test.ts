import { describe, expect, it } from "vitest";
import {
  checkDeviceName,
  checkLabel,
  checkNetnsName,
  checkPrefixLength,
  normalizeMac,
  parseAddress,
} from "./validate.js";

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

describe("parseAddress", () => {
  it("gives equal values to equal IPv6 addresses however they are written", () => {
    const a = parseAddress("2001:db8:0:1::100");
    expect(parseAddress("2001:DB8:0:1:0:0:0:100").value).toBe(a.value);
    expect(parseAddress("2001:0db8:0000:0001::0100").value).toBe(a.value);
    expect(parseAddress("::ffff:192.0.2.1").value).toBe(parseAddress("::ffff:c000:201").value);
    expect(parseAddress("::").value).toBe(0n);
    expect(parseAddress("::1").value).toBe(1n);
    expect(parseAddress("1::").value).toBe(1n << 112n);
    expect(a.family).toBe("inet6");
  });

  it("reads IPv4", () => {
    expect(parseAddress(" 192.0.2.1 ")).toEqual({
      family: "inet",
      text: "192.0.2.1",
      value: 0xc0000201n,
    });
  });

  it("rejects prefixes, zones, names and junk with INVALID_ADDRESS naming the parameter", () => {
    for (const bad of ["192.0.2.1/24", "fe80::1%eth0", "example.com", "", "1.2.3", 42, undefined]) {
      expect(codeOf(() => parseAddress(bad))).toBe("INVALID_ADDRESS");
    }
    expect(() => parseAddress("x", "ip")).toThrowError(/^ip: expected an IPv4 address/);
  });
});

describe("checkPrefixLength", () => {
  it("allows 0-32 for IPv4 and 0-128 for IPv6", () => {
    expect(checkPrefixLength(32, "inet")).toBe(32);
    expect(checkPrefixLength(128, "inet6")).toBe(128);
    for (const [bad, family] of [
      [33, "inet"],
      [129, "inet6"],
      [-1, "inet"],
      [24.5, "inet"],
      ["24", "inet"],
    ] as const) {
      expect(codeOf(() => checkPrefixLength(bad, family))).toBe("INVALID_PREFIX");
    }
  });
});

describe("checkLabel", () => {
  it("accepts labels of at most 15 characters that start with the device", () => {
    expect(checkLabel("eth0:vip", "eth0", "inet")).toBe("eth0:vip");
    expect(checkLabel("eth0:0123456789", "eth0", "inet")).toHaveLength(15);
  });

  it("rejects long, foreign, spaced and IPv6 labels", () => {
    expect(codeOf(() => checkLabel("eth0:01234567890", "eth0", "inet"))).toBe("INVALID_LABEL");
    expect(codeOf(() => checkLabel("eth1:vip", "eth0", "inet"))).toBe("INVALID_LABEL");
    expect(codeOf(() => checkLabel("eth0:a b", "eth0", "inet"))).toBe("INVALID_LABEL");
    expect(codeOf(() => checkLabel("eth0:v6", "eth0", "inet6"))).toBe("INVALID_LABEL");
    expect(() => checkLabel("x", "eth0", "inet")).toThrowError(/start with the device name "eth0"/);
  });
});

describe("names and MACs", () => {
  it("checks device and namespace names", () => {
    expect(checkDeviceName("ens3")).toBe("ens3");
    for (const bad of ["", "a".repeat(16), "eth0:1", "a/b", "a b", ".."]) {
      expect(codeOf(() => checkDeviceName(bad))).toBe("INVALID_ARGUMENT");
    }
    expect(checkNetnsName("ocfk-ipr-1a2b")).toBe("ocfk-ipr-1a2b");
    for (const bad of ["", "../x", "a b", ".."]) {
      expect(codeOf(() => checkNetnsName(bad))).toBe("INVALID_ARGUMENT");
    }
  });

  it("normalizes MACs", () => {
    expect(normalizeMac("02-00-17-AB-CD-EF")).toBe("02:00:17:ab:cd:ef");
    expect(codeOf(() => normalizeMac("02:00:17:ab:cd"))).toBe("INVALID_ARGUMENT");
  });
});
