import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { pickConnectedRoute, pickInterfaceByMac } from "./find.js";
import { linkListSchema, parseJson, routeListSchema, toInterfaces } from "./schema.js";

function routes(name: string) {
  const text = readFileSync(new URL(`../test/fixtures/${name}.json`, import.meta.url), "utf8");
  return parseJson(routeListSchema, text, name);
}

describe("pickConnectedRoute (captured `ip -json route show match`)", () => {
  it("ignores the default route and takes the connected subnet", () => {
    expect(pickConnectedRoute(routes("route-match-ipv4"))).toEqual({
      dev: "veth0",
      prefixLength: 24,
      network: "192.0.2.0/24",
    });
  });

  it("prefers the longest connected prefix", () => {
    expect(pickConnectedRoute(routes("route-match-ipv4-nested"))?.network).toBe("192.0.2.128/25");
  });

  it("never picks a route through a gateway, even a more specific one", () => {
    expect(pickConnectedRoute(routes("route-match-ipv4-gateway"))?.network).toBe("198.51.100.0/24");
  });

  it("skips host routes, which are not subnets", () => {
    expect(pickConnectedRoute(routes("route-match-ipv4-host"))?.network).toBe("198.51.100.0/24");
  });

  it("handles IPv6 and nothing at all", () => {
    expect(pickConnectedRoute(routes("route-match-ipv6"))).toEqual({
      dev: "veth0",
      prefixLength: 64,
      network: "2001:db8:0:1::/64",
    });
    expect(
      pickConnectedRoute([{ dst: "default", gateway: "192.0.2.1", dev: "veth0" }]),
    ).toBeUndefined();
  });

  it("breaks ties on the lowest metric", () => {
    const tie = [
      { dst: "192.0.2.0/24", dev: "eth1", metric: 200 },
      { dst: "192.0.2.0/24", dev: "eth0", metric: 100 },
      { dst: "192.0.2.0/24", dev: "eth2", type: "unreachable" },
    ];
    expect(pickConnectedRoute(tie)?.dev).toBe("eth0");
  });
});

describe("pickInterfaceByMac", () => {
  it("takes the first interface that is not enslaved to a bridge or bond", () => {
    const text = readFileSync(
      new URL("../test/fixtures/link-show-master.json", import.meta.url),
      "utf8",
    );
    const list = toInterfaces(parseJson(linkListSchema, text, "links"));
    expect(pickInterfaceByMac(list, "02:00:17:00:00:11")?.name).toBe("veth0");
    expect(pickInterfaceByMac(list.slice(2), "02:00:17:00:00:11")?.name).toBe("br0");
    expect(pickInterfaceByMac(list.slice(4), "02:00:17:00:00:11")?.name).toBe("vethA");
    expect(pickInterfaceByMac(list, "02:00:17:00:00:99")).toBeUndefined();
  });
});
