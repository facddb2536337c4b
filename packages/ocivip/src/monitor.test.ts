import { describe, expect, it } from "vitest";
import type { ResourceState, VipContext } from "./context.js";
import { cloudCheckDue } from "./monitor.js";
import { toSettings } from "./to-settings.js";

const settings = toSettings({
  secondary_private_ip: "192.0.2.100",
  interface_alias: "0",
  auth: "instance_principal",
  profile: "DEFAULT",
  announce_count: 1,
  cloud_check_interval: 60,
  warm_standby: true,
  release_on_stop: false,
});

function ctx(depth: number, now: number): VipContext {
  return { settings, depth, now: () => now } as unknown as VipContext;
}

const started: ResourceState = {
  dev: "ens3",
  prefixLength: 24,
  vnicId: "ocid1.vnic.x",
  phase: "started",
  lastCloudCheck: 1_000_000,
};

describe("cloudCheckDue", () => {
  it("always at depth 10", () => {
    expect(cloudCheckDue(ctx(10, 1_000_001), started)).toBe(true);
  });

  it("at depth 0 only once cloud_check_interval has passed", () => {
    expect(cloudCheckDue(ctx(0, 1_000_000 + 59_999), started)).toBe(false);
    expect(cloudCheckDue(ctx(0, 1_000_000 + 60_000), started)).toBe(true);
  });

  it("when there is no record, a killed start left one, or the clock went back", () => {
    expect(cloudCheckDue(ctx(0, 1_000_001), undefined)).toBe(true);
    expect(cloudCheckDue(ctx(0, 1_000_001), { ...started, phase: "starting" })).toBe(true);
    expect(cloudCheckDue(ctx(0, 999_000), started)).toBe(true);
  });
});
