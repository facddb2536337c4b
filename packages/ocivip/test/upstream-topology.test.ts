import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addNic, addressesOf, createTestNetns, type TestNetns } from "./helpers/netns.js";
import { WIDE, wideScenario } from "./helpers/scenarios.js";
import { createUpstreamWorld, runUpstream, type UpstreamWorld } from "./helpers/upstream.js";
import { createWorld, type World } from "./helpers/world.js";

// A node with two VNICs: the primary (192.0.2.0/24, default route, ens3) and a second one in
// 198.51.100.0/25 (ens5) where the floating IP lives. Upstream takes the first VNIC, the
// default route's interface and /24; ours takes the VNIC whose subnet contains the IP, the
// interface with that VNIC's MAC and the subnet's prefix.

const nics = [
  { name: "ens3", mac: "02:00:17:00:00:11", address: "192.0.2.11/24", defaultRoute: true },
  { name: "ens5", mac: WIDE.node1Mac2, address: `198.51.100.21/${WIDE.prefix}` },
];

let up: UpstreamWorld;
let upNs: TestNetns;
let ours: World;
let upStatus: number;

beforeAll(async () => {
  up = createUpstreamWorld([
    {
      vnicId: "ocid1.vnic.primary",
      macAddr: nics[0]!.mac,
      privateIp: "192.0.2.11",
      subnetCidrBlock: "192.0.2.0/24",
    },
    {
      vnicId: "ocid1.vnic.second",
      macAddr: nics[1]!.mac,
      privateIp: "198.51.100.21",
      subnetCidrBlock: "198.51.100.0/25",
    },
  ]);
  upNs = createTestNetns();
  for (const nic of nics) addNic(upNs, nic);
  upStatus = runUpstream(up, upNs, "start", { secondary_private_ip: WIDE.vip }).status;

  ours = await createWorld({ scenario: wideScenario(), nodes: { node1: nics } });
}, 120_000);
afterAll(async () => {
  up?.remove();
  upNs?.remove();
  await ours?.close();
});

describe("upstream defects in a two-VNIC node, each shown on heartbeat:ocivip and fixed in ocivip", () => {
  let oursStatus: number;
  beforeAll(async () => {
    oursStatus = (await ours.run("start", { secondary_private_ip: WIDE.vip })).status;
  }, 60_000);

  it("uses only the first VNIC; ours uses the VNIC whose subnet contains the IP", () => {
    expect(upStatus).toBe(0);
    expect(up.assignments()[WIDE.vip]).toBe("ocid1.vnic.primary");
    expect(oursStatus).toBe(0);
    expect(ours.holder(WIDE.vip)).toBe(ours.vnicId("node1", 1));
  });

  it("puts the address on the default route's interface; ours on the interface with the VNIC's MAC", () => {
    expect(addressesOf(upNs, "ens3").map((a) => a.local)).toContain(WIDE.vip);
    expect(addressesOf(upNs, "ens5").map((a) => a.local)).not.toContain(WIDE.vip);
    const node = ours.nodes.node1!;
    expect(node.addresses("ens5").map((a) => a.local)).toContain(WIDE.vip);
    expect(node.addresses("ens3").map((a) => a.local)).not.toContain(WIDE.vip);
  });

  it("assumes /24; ours takes the subnet's prefix (/25)", () => {
    expect(addressesOf(upNs, "ens3").find((a) => a.local === WIDE.vip)?.prefixlen).toBe(24);
    expect(ours.nodes.node1!.addresses("ens5").find((a) => a.local === WIDE.vip)?.prefixlen).toBe(
      WIDE.prefix,
    );
  });

  it("ours also selects by nic index, MAC or VNIC OCID, and says which VNICs exist when none matches", async () => {
    const params = { secondary_private_ip: WIDE.vip };
    const byMac = await ours.run("validate-all", { ...params, mac: WIDE.node1Mac2 });
    expect(byMac.status).toBe(0);
    const byId = await ours.run("validate-all", { ...params, vnic_id: ours.vnicId("node1", 1) });
    expect(byId.status).toBe(0);
    const outside = await ours.run("validate-all", { secondary_private_ip: "203.0.113.5" });
    expect(outside.status).toBe(5);
    expect(outside.stderr).toMatch(/ocf-exit-reason:.*203\.0\.113\.5/);
  });
});
