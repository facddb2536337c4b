import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseAddressList } from "./addr-json.js";
import { IprouteError } from "./errors.js";
import { linkListSchema, parseJson, routeListSchema, toInterfaces } from "./schema.js";

// Outputs captured from `ip -json` (iproute2 6.1) in a test namespace.
function fixture(name: string): string {
  return readFileSync(new URL(`../test/fixtures/${name}.json`, import.meta.url), "utf8");
}

function addresses(name: string) {
  return parseAddressList(fixture(name), name);
}

describe("addresses from ip -json addr show", () => {
  it("flattens links into addresses with family, prefix, label, scope and lifetimes", () => {
    const list = addresses("addr-show");
    expect(list.map((a) => `${a.dev} ${a.address}/${a.prefixLength}`)).toEqual([
      "lo 127.0.0.1/8",
      "lo ::1/128",
      "veth0 192.0.2.11/24",
      "veth0 198.51.100.5/24",
      "veth0 192.0.2.78/24",
      "veth0 192.0.2.81/24",
      "veth0 192.0.2.82/24",
      "veth0 2001:db8:0:1::77/64",
      "veth0 2001:db8:0:1::50/64",
      "veth0 2001:db8:0:1::100/64",
      "veth0 2001:db8:0:1::11/64",
      "veth0 fe80::17ff:fe00:11/64",
    ]);
    expect(list[3]).toMatchObject({
      family: "inet",
      label: "veth0:fl",
      scope: "global",
      validLifetime: "forever",
    });
    expect(list[6]).toMatchObject({ label: "veth0:a b", flags: ["secondary"] });
    expect(list[9]).toMatchObject({ family: "inet6", label: undefined, preferredLifetime: 0 });
    expect(list[9]?.flags).toEqual(["nodad", "deprecated"]);
    expect(list[11]?.scope).toBe("link");
  });

  it("reads tentative and dadfailed flags", () => {
    expect(addresses("addr-show-tentative")[0]).toMatchObject({
      address: "2001:db8:0:1::150",
      flags: ["tentative"],
    });
    expect(addresses("addr-show-dadfailed")[1]).toMatchObject({
      address: "2001:db8:0:1::50",
      flags: ["dadfailed", "tentative"],
    });
  });

  it("skips the empty entries `ip addr show to X` prints for filtered-out addresses", () => {
    const list = addresses("addr-show-to-filter");
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      address: "192.0.2.78",
      label: "veth0-x",
      flags: ["secondary"],
    });
  });

  it("treats empty output as no addresses", () => {
    expect(parseAddressList("", "empty")).toEqual([]);
  });
});

describe("interfaces from ip -json link show", () => {
  it("gives name, lower-case MAC, state, MTU and master", () => {
    const list = toInterfaces(parseJson(linkListSchema, fixture("link-show-master"), "links"));
    expect(list.map((i) => [i.name, i.mac, i.state, i.mtu, i.master])).toEqual([
      ["lo", "00:00:00:00:00:00", "UNKNOWN", 65536, undefined],
      ["veth0", "02:00:17:00:00:11", "UP", 1500, undefined],
      ["br0", "02:00:17:00:00:11", "DOWN", 1500, undefined],
      ["vethB", "22:7f:69:6c:f2:fc", "DOWN", 1500, undefined],
      ["vethA", "02:00:17:00:00:11", "DOWN", 1500, "br0"],
    ]);
    expect(list[1]?.up).toBe(true);
    expect(list[2]?.up).toBe(false);
  });
});

describe("parseAddressList", () => {
  it.each([
    ["not JSON", "Error: something", "expected JSON"],
    ["not an array", "{}", "expected a JSON array"],
    ["a link without ifname", '[{"ifindex":1}]', "no ifname"],
    [
      "a local that is a number",
      '[{"ifname":"lo","addr_info":[{"family":"inet","local":5,"prefixlen":8}]}]',
      "lacks",
    ],
    [
      "a prefix out of range",
      '[{"ifname":"lo","addr_info":[{"family":"inet","local":"127.0.0.1","prefixlen":129}]}]',
      "lacks",
    ],
  ])("throws BAD_OUTPUT naming the command on %s", (_, text, why) => {
    expect(() => parseAddressList(text, "ip -json addr show")).toThrowError(
      expect.objectContaining({
        code: "BAD_OUTPUT",
        message: expect.stringMatching(new RegExp(`^ip -json addr show: .*${why}`)),
      }),
    );
  });

  it("skips the empty entries `addr show to` prints for filtered-out addresses", () => {
    const text =
      '[{"ifname":"veth0","addr_info":[{},{"family":"inet","local":"192.0.2.5","prefixlen":24,"secondary":true}]}]';
    expect(parseAddressList(text)).toEqual([
      expect.objectContaining({
        dev: "veth0",
        address: "192.0.2.5",
        flags: ["secondary"],
        label: "veth0",
      }),
    ]);
  });
});

describe("parseJson", () => {
  it("throws BAD_OUTPUT on text that is not JSON", () => {
    expect(() => parseJson(linkListSchema, "Error: something", "ip -json addr show")).toThrowError(
      expect.objectContaining({
        code: "BAD_OUTPUT",
        message: expect.stringContaining("expected JSON"),
      }),
    );
  });

  it("throws BAD_OUTPUT naming the field when the shape changed", () => {
    const changed = JSON.stringify([
      { ifindex: 1, ifname: "lo", addr_info: [{ family: "inet", local: 5 }] },
    ]);
    let error: unknown;
    try {
      parseJson(linkListSchema, changed, "ip -json addr show");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IprouteError);
    expect((error as IprouteError).code).toBe("BAD_OUTPUT");
    expect((error as IprouteError).message).toContain("ip -json addr show");
  });

  it("parses route lists", () => {
    const routes = parseJson(routeListSchema, fixture("route-match-ipv4"), "routes");
    expect(routes.map((r) => r.dst)).toEqual(["default", "192.0.2.0/24"]);
  });
});
