import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorld, type World } from "./helpers/world.js";

// The same cycle for an IPv6 floating address in the subnet's 2001:db8:0:1::/64.

const VIP6 = "2001:db8:0:1::100";
let world: World;
beforeAll(async () => {
  world = await createWorld({ nodes: { node1: undefined } });
}, 120_000);
afterAll(async () => {
  await world?.close();
});

const local = () => world.nodes.node1!.addresses("ens3").filter((a) => a.local === VIP6);
const holder = () => world.emulator.state().ipv6s.find((i) => i.ipAddress === VIP6)?.vnicId;

describe("IPv6 floating address", () => {
  it("start assigns it in the cloud and adds it with the subnet's /64, no label", async () => {
    const res = await world.run("start", { secondary_private_ip: "2001:DB8:0:1:0:0:0:100" });
    expect(res.status, res.stderr).toBe(0);
    expect(local()).toEqual([expect.objectContaining({ prefixlen: 64 })]);
    expect(holder()).toBe(world.vnicId("node1"));
  });

  it("monitor at depth 10 checks the cloud; stop removes it (release_on_stop: in the cloud too)", async () => {
    const params = { secondary_private_ip: VIP6 };
    expect((await world.run("monitor", params, { env: { OCF_CHECK_LEVEL: "10" } })).status).toBe(0);
    expect((await world.run("stop", params)).status).toBe(0);
    expect(local()).toHaveLength(0);
    expect(holder()).toBe(world.vnicId("node1"));
    expect((await world.run("stop", { ...params, release_on_stop: "true" })).status).toBe(0);
    expect(holder()).toBeUndefined();
    expect((await world.run("monitor", params)).status).toBe(7);
  });
});
