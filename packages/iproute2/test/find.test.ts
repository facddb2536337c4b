import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIproute2, type Iproute2, IprouteError } from "../src/index.js";
import { createLab, createNetns, createVethPair, destroyNetns, ip, type Lab } from "./netns.js";

// The node has two links: vnic0 (192.0.2.0/24, 2001:db8:0:1::/64, default route) and
// vnic1 (198.51.100.0/24, 2001:db8:0:2::/64), plus a more specific route via a gateway.
let lab: Lab;
let third: string | undefined;
let ipr: Iproute2;
const secondMac = "02:00:17:00:00:22";

beforeAll(async () => {
  lab = await createLab();
  third = await createNetns();
  await createVethPair(
    { netns: lab.node, dev: "vnic1", mac: secondMac },
    { netns: third, dev: "peer1", mac: "02:00:17:00:00:98" },
  );
  const n = ["-n", lab.node];
  await ip(...n, "addr", "add", "192.0.2.11/24", "dev", lab.nodeDev);
  await ip(...n, "addr", "add", "198.51.100.11/24", "dev", "vnic1");
  await ip(...n, "-6", "addr", "add", "2001:db8:0:1::11/64", "dev", lab.nodeDev, "nodad");
  await ip(...n, "-6", "addr", "add", "2001:db8:0:2::11/64", "dev", "vnic1", "nodad");
  await ip(...n, "route", "add", "default", "via", "192.0.2.1");
  await ip(...n, "-6", "route", "add", "default", "via", "2001:db8:0:1::1");
  // More specific than vnic1's subnet, but through a gateway: must never be chosen.
  await ip(...n, "route", "add", "198.51.100.128/25", "via", "192.0.2.1");
  ipr = createIproute2({ netns: lab.node });
}, 60_000);

afterAll(async () => {
  await lab?.destroy();
  await destroyNetns(third);
});

describe("findInterface", () => {
  it("finds the interface of the connected subnet, not the default route's", async () => {
    expect(await ipr.findInterface("192.0.2.100")).toEqual({
      dev: lab.nodeDev,
      prefixLength: 24,
      network: "192.0.2.0/24",
    });
    expect(await ipr.findInterface("198.51.100.100")).toEqual({
      dev: "vnic1",
      prefixLength: 24,
      network: "198.51.100.0/24",
    });
    expect((await ipr.findInterface("198.51.100.200")).dev).toBe("vnic1");
  });

  it("does the same for IPv6", async () => {
    expect(await ipr.findInterface("2001:db8:0:2::100")).toEqual({
      dev: "vnic1",
      prefixLength: 64,
      network: "2001:db8:0:2::/64",
    });
    expect((await ipr.findInterface("2001:db8:0:1::100")).dev).toBe(lab.nodeDev);
  });

  it("returns the prefix length asked for, and needs a subnet at least that wide", async () => {
    expect(await ipr.findInterface("192.0.2.100", { prefixLength: 28 })).toMatchObject({
      dev: lab.nodeDev,
      prefixLength: 28,
    });
    const tooWide = await ipr
      .findInterface("198.51.100.100", { prefixLength: 23 })
      .catch((e: unknown) => e);
    expect((tooWide as IprouteError).code).toBe("INTERFACE_NOT_FOUND");
  });

  it("fails clearly when only the default route would match", async () => {
    // Only the default route contains 192.0.2.0/16: that is not a connected subnet.
    const error = await ipr
      .findInterface("192.0.2.1", { prefixLength: 16 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IprouteError);
    expect((error as IprouteError).code).toBe("INTERFACE_NOT_FOUND");
    expect((error as IprouteError).message).toContain("192.0.2.1/16");
    const v6 = await ipr.findInterface("2001:db8:ffff::1").catch((e: unknown) => e);
    expect((v6 as IprouteError).code).toBe("INTERFACE_NOT_FOUND");
  });

  it("rejects link-local and malformed addresses before running anything", async () => {
    const ll = await ipr.findInterface("fe80::1").catch((e: unknown) => e);
    expect((ll as IprouteError).code).toBe("INVALID_ADDRESS");
    const bad = await ipr.findInterface("192.0.2.0/24").catch((e: unknown) => e);
    expect((bad as IprouteError).code).toBe("INVALID_ADDRESS");
    expect((bad as IprouteError).message).toContain("prefix length separately");
  });
});

describe("listInterfaces / findInterfaceByMac", () => {
  it("lists name, MAC, state and MTU", async () => {
    const list = await ipr.listInterfaces();
    expect(list.map((i) => i.name)).toEqual(["lo", lab.nodeDev, "vnic1"]);
    expect(list[1]).toMatchObject({
      name: lab.nodeDev,
      mac: lab.nodeMac,
      state: "UP",
      up: true,
      mtu: 1500,
    });
  });

  it("finds an interface by MAC in any spelling", async () => {
    expect((await ipr.findInterfaceByMac(secondMac)).name).toBe("vnic1");
    expect((await ipr.findInterfaceByMac("02-00-17-00-00-11".toUpperCase())).name).toBe(
      lab.nodeDev,
    );
  });

  it("reports an unknown or malformed MAC with its code", async () => {
    const none = await ipr.findInterfaceByMac("02:00:17:00:00:77").catch((e: unknown) => e);
    expect((none as IprouteError).code).toBe("INTERFACE_NOT_FOUND");
    const bad = await ipr.findInterfaceByMac("02:00:17").catch((e: unknown) => e);
    expect((bad as IprouteError).code).toBe("INVALID_ARGUMENT");
  });
});
