import { ConfigurationError } from "@ocfkit/ocf";
import { describe, expect, it } from "vitest";
import type { OcivipParameters } from "./params.js";
import { labelFor } from "./settings.js";
import { canonicalIp, toSettings } from "./to-settings.js";

const base: OcivipParameters = {
  secondary_private_ip: "192.0.2.100",
  interface_alias: "0",
  auth: "instance_principal",
  profile: "DEFAULT",
  announce_count: 3,
  cloud_check_interval: 60,
  warm_standby: true,
  release_on_stop: false,
};

function reason(params: Partial<OcivipParameters>): string {
  try {
    toSettings({ ...base, ...params });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigurationError");
}

describe("toSettings", () => {
  it("keeps the tutorial's parameters: selects the VNIC by subnet, label <dev>:0", () => {
    const s = toSettings({ ...base, secondary_private_ip: "10.10.1.115", cidr_netmask: 24 });
    expect(s.vnic).toEqual({ ip: "10.10.1.115" });
    expect(s.prefixLength).toBe(24);
    expect(labelFor(s, "ens3")).toBe("ens3:0");
    expect(s.auth).toEqual({ kind: "instance-principal" });
  });

  it("leaves the prefix to the subnet when cidr_netmask is unset (no /24 guess)", () => {
    expect(toSettings(base).prefixLength).toBeUndefined();
  });

  it("canonicalises IPv6 and gives it no label", () => {
    const s = toSettings({ ...base, secondary_private_ip: "2001:DB8:0:1:0:0:0:64" });
    expect(s.ip).toBe("2001:db8:0:1::64");
    expect(s.family).toBe(6);
    expect(labelFor(s, "ens3")).toBeUndefined();
    expect(canonicalIp("192.0.2.1")).toBe("192.0.2.1");
  });

  it("drops a label longer than the kernel's 15 characters instead of failing", () => {
    const s = toSettings(base);
    expect(labelFor(s, "enp0s31f6abcdef")).toBeUndefined();
    expect(labelFor(s, "enp0s31f6abc")).toBe("enp0s31f6abc:0");
    expect(labelFor(toSettings({ ...base, interface_alias: "none" }), "ens3")).toBeUndefined();
  });

  it("names the parameter and what is allowed", () => {
    expect(reason({ secondary_private_ip: "192.0.2.300" })).toMatch(
      /secondary_private_ip.*IPv4 or IPv6/,
    );
    expect(reason({ cidr_netmask: 33 })).toMatch(/cidr_netmask.*1 to 32/);
    expect(reason({ secondary_private_ip: "2001:db8::1", cidr_netmask: 129 })).toMatch(/1 to 128/);
    expect(reason({ interface_alias: "a b" })).toMatch(/interface_alias/);
    expect(reason({ interface: "eth0:1" })).toMatch(/interface/);
    expect(reason({ mac: "zz" })).toMatch(/"mac".*MAC/);
    expect(reason({ vnic_id: "ocid1.instance.oc1..x" })).toMatch(/vnic_id.*VNIC OCID/);
    expect(reason({ vnic_id: "ocid1.vnic.oc1..x", mac: "02:00:17:00:00:11" })).toMatch(
      /vnic_id and mac/,
    );
    expect(reason({ api_endpoint: "ftp://x" })).toMatch(/api_endpoint.*http/);
    expect(reason({ cloud_check_interval: -1 })).toMatch(/cloud_check_interval/);
    expect(reason({ announce_count: 1000 })).toMatch(/announce_count/);
  });

  it("selects the VNIC by id, MAC or nic index when asked", () => {
    expect(toSettings({ ...base, vnic_id: "ocid1.vnic.oc1.iad.abc" }).vnic).toEqual({
      vnicId: "ocid1.vnic.oc1.iad.abc",
    });
    expect(toSettings({ ...base, mac: "02:00:17:00:00:1A" }).vnic).toEqual({
      mac: "02:00:17:00:00:1a",
    });
    expect(toSettings({ ...base, nic_index: 1 }).vnic).toEqual({ nicIndex: 1, ip: "192.0.2.100" });
  });

  it("maps the auth parameters", () => {
    expect(
      toSettings({ ...base, auth: "config_file", config_file: "/etc/oci/config", profile: "HA" })
        .auth,
    ).toEqual({
      kind: "config-file",
      configFile: "/etc/oci/config",
      profile: "HA",
    });
    expect(toSettings({ ...base, auth: "resource_principal" }).auth).toEqual({
      kind: "resource-principal",
    });
  });
});
