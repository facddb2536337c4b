import { describe, expect, it } from "vitest";
import { type MetadataSnapshot, normalizeMac, toSnapshot } from "./metadata.js";
import { describeVnics, pickVnic, validateSelector } from "./select.js";

const snapshot: MetadataSnapshot = toSnapshot(
  { id: "ocid1.instance.oc1..a", compartmentId: "ocid1.compartment.oc1..c", region: "iad" },
  [
    {
      vnicId: "ocid1.vnic.oc1..primary",
      privateIp: "192.0.2.11",
      macAddr: "02:00:17:00:00:11",
      subnetCidrBlock: "192.0.2.0/24",
      ipv6SubnetCidrBlock: "2001:db8:0:1::/64",
      ipv6Addresses: [],
    },
    {
      vnicId: "ocid1.vnic.oc1..second",
      privateIp: "198.51.100.5",
      macAddr: "02-00-17-00-00-21",
      subnetCidrBlock: "198.51.100.0/24",
      nicIndex: 1,
    },
    {
      vnicId: "ocid1.vnic.oc1..third",
      privateIp: "198.51.100.6",
      macAddr: "02:00:17:00:00:31",
      subnetCidrBlock: "198.51.100.0/24",
      nicIndex: 1,
    },
  ],
);

describe("VNIC selection", () => {
  it("picks by subnet containing the IP (IPv4 and IPv6), vnicId, MAC in any notation", () => {
    expect(pickVnic(snapshot, { ip: "192.0.2.100" }).vnicId).toBe("ocid1.vnic.oc1..primary");
    expect(pickVnic(snapshot, { ip: "2001:db8:0:1::100" }).vnicId).toBe("ocid1.vnic.oc1..primary");
    expect(pickVnic(snapshot, { vnicId: "ocid1.vnic.oc1..third" }).privateIp).toBe("198.51.100.6");
    expect(pickVnic(snapshot, { mac: "02:00:17:00:00:21" }).vnicId).toBe("ocid1.vnic.oc1..second");
    expect(pickVnic(snapshot, { mac: "0200.1700.0011" }).isPrimaryVnic).toBe(true);
    expect(pickVnic(snapshot, { nicIndex: 0 }).vnicId).toBe("ocid1.vnic.oc1..primary");
  });

  it("fails with VNIC_NOT_FOUND listing every VNIC", () => {
    try {
      pickVnic(snapshot, { ip: "203.0.113.1" });
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: "VNIC_NOT_FOUND" });
      const message = (e as Error).message;
      expect(message).toContain("ip=203.0.113.1");
      for (const v of snapshot.vnics) expect(message).toContain(v.vnicId);
    }
  });

  it("fails with VNIC_AMBIGUOUS when several match", () => {
    expect(() => pickVnic(snapshot, { ip: "198.51.100.50" })).toThrowError(
      expect.objectContaining({ code: "VNIC_AMBIGUOUS" }),
    );
    expect(() => pickVnic(snapshot, { nicIndex: 1 })).toThrow(/2 VNICs match nicIndex=1/);
  });

  it("validates selectors and names the bad parameter", () => {
    expect(() => validateSelector({})).toThrow(/invalid selector: expected exactly one/);
    expect(() => validateSelector({ ip: "1.2.3.4", mac: "x" })).toThrow(/exactly one/);
    expect(() => validateSelector({ ip: "nope" })).toThrow(/invalid selector\.ip/);
    expect(() => validateSelector({ vnicId: "ocid1.instance.x" })).toThrow(/selector\.vnicId/);
    expect(() => validateSelector({ mac: "02:00" })).toThrow(/selector\.mac/);
    expect(() => validateSelector({ nicIndex: -1 })).toThrow(/selector\.nicIndex/);
    expect(validateSelector({ nicIndex: 0, ip: undefined })).toEqual({ nicIndex: 0 });
  });

  it("normalises MACs and describes VNICs", () => {
    expect(normalizeMac("02-00-17-00-00-AB")).toBe("02:00:17:00:00:ab");
    expect(normalizeMac("nope")).toBeUndefined();
    expect(snapshot.vnics[1]?.macAddress).toBe("02:00:17:00:00:21");
    expect(describeVnics([])).toBe("(none)");
    expect(describeVnics(snapshot.vnics)).toContain("ipv6-subnet=2001:db8:0:1::/64");
  });
});
