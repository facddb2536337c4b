import { realShapesScenario } from "@ocfkit/oci-emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./harness.js";

// The agent against the emulator's real-shape scenario: VMs whose metadata has no nicIndex and an
// IPv6-only VNIC ("<null>" subnet), a bare-metal instance with a shared NIC, a two-CIDR subnet,
// and IPv6 deletions that stay TERMINATING for 1.5 s.
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ scenario: realShapesScenario() });
});
afterAll(async () => h?.stop());
beforeEach(() => h.emu.reset());

const vnicId = (name: string) => `ocid1.vnic.oc1.phx.abyhqljr${name}`;
const holder = (ip: string) =>
  [...h.emu.state().privateIps, ...h.emu.state().ipv6s].find((p) => p.ipAddress === ip);

describe("real metadata shapes", () => {
  it("an IPv6-only secondary VNIC does not stop an IPv4 VIP on the primary VNIC", async () => {
    const vm1 = h.client("vm1");
    const vnics = await vm1.listVnics();
    expect(vnics.map((v) => [v.privateIp, v.subnetCidr, v.nicIndex])).toEqual([
      ["192.0.2.11", "192.0.2.0/25", undefined],
      ["198.51.100.11", "198.51.100.0/25", undefined],
      [undefined, undefined, undefined],
    ]);
    const vnic = await vm1.selectVnic({ ip: "192.0.2.100" });
    expect(vnic.vnicId).toBe(vnicId("vm1app"));
    expect((await vm1.assign("192.0.2.100", vnic)).action).toBe("created");
    expect(holder("192.0.2.100")?.vnicId).toBe(vnicId("vm1app"));
    expect((await vm1.release("192.0.2.100", vnic)).action).toBe("deleted");
  });

  it("an IPv6 VIP on the IPv6-only VNIC", async () => {
    const vm1 = h.client("vm1");
    const vnic = await vm1.selectVnic({ ip: "2001:db8:0:6::100" });
    expect(vnic.vnicId).toBe(vnicId("vm1v6only"));
    expect(await vm1.prefixLength("2001:db8:0:6::100", vnic)).toBe(64);
    expect((await vm1.assign("2001:db8:0:6::100", vnic)).action).toBe("created");
    expect(holder("2001:db8:0:6::100")?.vnicId).toBe(vnicId("vm1v6only"));
  });

  it("nic_index on a VM: NIC 1 does not exist; NIC 0 with the IP picks the VNIC of that subnet", async () => {
    const vm1 = h.client("vm1");
    await expect(vm1.selectVnic({ nicIndex: 1 })).rejects.toMatchObject({
      code: "VNIC_NOT_FOUND",
      message: expect.stringContaining("a VM: every VNIC is on NIC 0"),
    });
    await expect(vm1.selectVnic({ nicIndex: 0 })).rejects.toMatchObject({ code: "VNIC_AMBIGUOUS" });
    expect((await vm1.selectVnic({ nicIndex: 0, ip: "198.51.100.100" })).vnicId).toBe(
      vnicId("vm1data"),
    );
  });

  it("nic_index on bare metal: the physical NIC, shared by VNICs", async () => {
    const bm1 = h.client("bm1");
    expect((await bm1.selectVnic({ nicIndex: 1 })).vnicId).toBe(vnicId("bm1nic1"));
    expect((await bm1.selectVnic({ nicIndex: 0, ip: "192.0.2.100" })).vnicId).toBe(
      vnicId("bm1app"),
    );
    expect((await bm1.selectVnic({ mac: "B8:CE:F6:0A:C1:01" })).vnicId).toBe(vnicId("bm1app"));
  });
});

describe("a VIP in a subnet's secondary IPv4 block", () => {
  it("is found through GetSubnet's ipv4CidrBlocks, assigned, and gets that block's prefix", async () => {
    const vm1 = h.client("vm1");
    const vnic = await vm1.selectVnic({ ip: "192.0.2.200" });
    expect(vnic.vnicId).toBe(vnicId("vm1app"));
    expect(await vm1.prefixLength("192.0.2.200", vnic)).toBe(25);
    expect((await vm1.assign("192.0.2.200", vnic)).action).toBe("created");
    const vm2 = h.client("vm2");
    const moved = await vm2.assign("192.0.2.200", await vm2.selectVnic({ ip: "192.0.2.200" }));
    expect(moved).toMatchObject({ action: "moved", previousVnicId: vnicId("vm1app") });
    await expect(vm1.assign("203.0.113.9", vnic)).rejects.toMatchObject({ code: "CONFLICT" });
  });
});

describe("IPv6 lifecycle states", () => {
  it("a release does not wait for TERMINATING to end; a new assign waits it out", async () => {
    const vm1 = h.client("vm1");
    const vnic = await vm1.selectVnic({ ip: "2001:db8:0:a::100" });
    await vm1.assign("2001:db8:0:a::100", vnic);
    const started = Date.now();
    expect((await vm1.release("2001:db8:0:a::100", vnic)).action).toBe("deleted");
    expect(Date.now() - started).toBeLessThan(1000);
    expect(holder("2001:db8:0:a::100")?.lifecycleState).toBe("TERMINATING");
    expect(await vm1.getAssignment("2001:db8:0:a::100", { vnic })).toBeUndefined();
    expect((await vm1.release("2001:db8:0:a::100", vnic)).action).toBe("none");
    const vm2 = h.client("vm2");
    const taken = await vm2.assign(
      "2001:db8:0:a::100",
      await vm2.selectVnic({ ip: "2001:db8:0:a::100" }),
    );
    expect(taken.action).toBe("created");
    expect(holder("2001:db8:0:a::100")).toMatchObject({
      lifecycleState: "AVAILABLE",
      vnicId: vnicId("vm2app"),
    });
  });
});
