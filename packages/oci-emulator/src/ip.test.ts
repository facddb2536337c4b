import { describe, expect, it } from "vitest";
import {
  canonicalIpv6,
  ipv4ToNumber,
  ipv4Usable,
  ipv6Inside,
  ipv6ToBigInt,
  numberToIpv4,
  parseIpv4Cidr,
  parseIpv6Cidr,
} from "./ip.js";

describe("ip helpers", () => {
  it("round-trips IPv4 and classifies subnet addresses as OCI reserves them", () => {
    expect(numberToIpv4(ipv4ToNumber("192.0.2.100")!)).toBe("192.0.2.100");
    const block = parseIpv4Cidr("192.0.2.0/24")!;
    expect(ipv4Usable(block, ipv4ToNumber("192.0.2.0")!)).toBe("reserved");
    expect(ipv4Usable(block, ipv4ToNumber("192.0.2.1")!)).toBe("reserved");
    expect(ipv4Usable(block, ipv4ToNumber("192.0.2.255")!)).toBe("reserved");
    expect(ipv4Usable(block, ipv4ToNumber("192.0.2.2")!)).toBe("ok");
    expect(ipv4Usable(block, ipv4ToNumber("192.0.3.2")!)).toBe("outside");
    expect(parseIpv4Cidr("192.0.2.0/33")).toBeUndefined();
  });

  it("canonicalises IPv6 per RFC 5952 and tests prefix membership", () => {
    expect(canonicalIpv6("2001:DB8:0:1:0:0:0:100")).toBe("2001:db8:0:1::100");
    expect(canonicalIpv6("2001:db8::1:0:0:1")).toBe("2001:db8::1:0:0:1");
    expect(canonicalIpv6("::")).toBe("::");
    expect(canonicalIpv6("192.0.2.1")).toBeUndefined();
    const block = parseIpv6Cidr("2001:db8:0:1::/64")!;
    expect(ipv6Inside(block, ipv6ToBigInt("2001:db8:0:1::5")!)).toBe(true);
    expect(ipv6Inside(block, ipv6ToBigInt("2001:db8:0:2::5")!)).toBe(false);
  });
});
