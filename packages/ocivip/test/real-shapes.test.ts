import { realShapesScenario } from "@ocfkit/oci-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorld, type World } from "./helpers/world.js";

// The agent, as new processes in network namespaces, against the emulator's real-shape scenario:
// VMs with no nicIndex in their metadata, an IPv6-only VNIC ("<null>" subnet), upper-case MACs,
// and a subnet with a second IPv4 block the metadata does not show.
const nicsOf = (n: 1 | 2) => [
  {
    name: "ens3",
    mac: `02:00:17:0A:B${n}:01`,
    address: `192.0.2.1${n}/25`,
    defaultRoute: true,
  },
  { name: "ens4", mac: `02:00:17:0A:B${n}:02`, address: `198.51.100.1${n}/25` },
  { name: "ens5", mac: `02:00:17:0A:B${n}:03` },
];

let world: World;
beforeAll(async () => {
  world = await createWorld({
    scenario: realShapesScenario(),
    nodes: { vm1: nicsOf(1), vm2: nicsOf(2) },
  });
}, 120_000);
afterAll(async () => {
  await world?.close();
});

const on = (node: string, dev: string, ip: string) =>
  world.nodes[node]!.addresses(dev).filter((a) => a.local === ip);
const privateIp = (ip: string) => world.emulator.state().privateIps.find((p) => p.ipAddress === ip);

describe("ocivip on real OCI shapes", () => {
  it("an IPv6-only secondary VNIC does not stop an IPv4 VIP: start, monitor, stop", async () => {
    const params = { secondary_private_ip: "192.0.2.100" };
    const res = await world.run("start", params, { node: "vm1" });
    expect(res.status, res.stderr).toBe(0);
    expect(on("vm1", "ens3", "192.0.2.100")).toEqual([expect.objectContaining({ prefixlen: 25 })]);
    expect(world.holder("192.0.2.100")).toBe(world.vnicId("vm1", 0));
    const deep = await world.run("monitor", params, {
      node: "vm1",
      env: { OCF_CHECK_LEVEL: "10" },
    });
    expect(deep.status, deep.stderr).toBe(0);
    expect((await world.run("stop", params, { node: "vm1" })).status).toBe(0);
  });

  it("nic_index is the physical NIC: 0 with the IP's subnet picks ens4 on a VM; 1 does not exist there", async () => {
    const params = { secondary_private_ip: "198.51.100.100", nic_index: "0" };
    const res = await world.run("start", params, { node: "vm1" });
    expect(res.status, res.stderr).toBe(0);
    expect(on("vm1", "ens4", "198.51.100.100")).toHaveLength(1);
    expect(world.holder("198.51.100.100")).toBe(world.vnicId("vm1", 1));
    expect((await world.run("stop", params, { node: "vm1" })).status).toBe(0);
    const missing = await world.run("start", { ...params, nic_index: "1" }, { node: "vm1" });
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/ocf-exit-reason:.*a VM: every VNIC is on NIC 0/);
  });

  it("a VIP in the subnet's secondary block: found via GetSubnet, /25 of that block; moves keep the OCID", async () => {
    const params = { secondary_private_ip: "192.0.2.200" };
    const first = await world.run("start", params, { node: "vm1" });
    expect(first.status, first.stderr).toBe(0);
    expect(on("vm1", "ens3", "192.0.2.200")).toEqual([expect.objectContaining({ prefixlen: 25 })]);
    const id = privateIp("192.0.2.200")!.id;
    expect((await world.run("stop", params, { node: "vm1" })).status).toBe(0);
    expect(privateIp("192.0.2.200")).toMatchObject({ id, vnicId: world.vnicId("vm1", 0) });
    const second = await world.run("start", params, { node: "vm2" });
    expect(second.status, second.stderr).toBe(0);
    expect(on("vm2", "ens3", "192.0.2.200")).toHaveLength(1);
    expect(privateIp("192.0.2.200")).toMatchObject({ id, vnicId: world.vnicId("vm2", 0) });
    expect((await world.run("stop", params, { node: "vm2" })).status).toBe(0);
  });
});
