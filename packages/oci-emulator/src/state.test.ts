import { describe, expect, it } from "vitest";
import { defaultScenario, resolveScenario } from "./scenario.js";
import { createStateStore, initialState } from "./state.js";

describe("state", () => {
  it("starts from primaries plus the scenario's secondary IPv4 and IPv6 addresses", () => {
    const scenario = defaultScenario();
    scenario.instances[0]!.vnics[0]!.secondaryPrivateIps = ["192.0.2.100"];
    scenario.instances[0]!.vnics[0]!.ipv6Addresses = ["2001:DB8:0:1:0:0:0:11"];
    const state = initialState(resolveScenario(scenario), new Date("2026-01-01T00:00:00Z"));
    expect(state.privateIps.map((p) => [p.ipAddress, p.isPrimary])).toEqual([
      ["192.0.2.11", true],
      ["192.0.2.100", false],
      ["192.0.2.12", true],
    ]);
    expect(state.ipv6s.map((p) => p.ipAddress)).toEqual(["2001:db8:0:1::11"]);
    expect(state.vnicAttachments.map((a) => a.nicIndex)).toEqual([0, 0]);
    expect(state.subnets[0]).toMatchObject({
      virtualRouterIp: "192.0.2.1",
      cidrBlock: "192.0.2.0/24",
    });
  });

  it("gives a secondary VNIC no primary flag, and a VM's attachments nic index 0", () => {
    const scenario = defaultScenario();
    scenario.instances[0]!.vnics.push({
      subnet: "subnet-ha",
      macAddress: "02:00:17:00:01:11",
      privateIp: "192.0.2.21",
    });
    const resolved = resolveScenario(scenario);
    const state = initialState(resolved, new Date(0));
    const second = state.vnics.find((v) => v.privateIp === "192.0.2.21")!;
    expect(second).toMatchObject({ isPrimary: false, macAddress: "02:00:17:00:01:11" });
    expect(state.vnicAttachments.find((a) => a.vnicId === second.id)?.nicIndex).toBe(0);
    expect(state.privateIps.find((p) => p.ipAddress === "192.0.2.21")?.isPrimary).toBe(true);
  });

  it("shows writes to readers only after the consistency delay, in order", () => {
    const initial = initialState(resolveScenario(defaultScenario()), new Date(0));
    let changes = 0;
    const store = createStateStore(initial, () => changes++);
    store.setDelay(100);
    store.mutate(1000, (s) => s.privateIps.pop());
    store.mutate(1050, (s) => s.privateIps.pop());
    expect(store.read(1099).privateIps).toHaveLength(2);
    expect(store.read(1100).privateIps).toHaveLength(1);
    expect(store.read(1150).privateIps).toHaveLength(0);
    expect(store.live.privateIps).toHaveLength(0);
    expect(changes).toBe(2);
    store.setDelay(0);
    store.mutate(2000, (s) => s.privateIps.push(initial.privateIps[0]!));
    expect(store.read(2000).privateIps).toHaveLength(1);
  });
});
