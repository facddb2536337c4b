import { describe, expect, it } from "vitest";
import { imdsVnicsSchema } from "./imds-schema.js";
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
    // Both VNICs on NIC 1 are in the same subnet: the IP cannot tell them apart.
    expect(() => pickVnic(snapshot, { nicIndex: 1, ip: "198.51.100.5" })).toThrow(/2 VNICs match/);
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
    expect(validateSelector({ nicIndex: 1, ip: "192.0.2.1" })).toEqual({
      nicIndex: 1,
      ip: "192.0.2.1",
    });
    expect(() => validateSelector({ nicIndex: 1, ip: "x" })).toThrow(/selector\.ip/);
    expect(() => validateSelector({ mac: "02:00:17:00:00:11", ip: "192.0.2.1" })).toThrow(
      /exactly one/,
    );
  });

  it("normalises MACs and describes VNICs", () => {
    expect(normalizeMac("02-00-17-00-00-AB")).toBe("02:00:17:00:00:ab");
    expect(normalizeMac("nope")).toBeUndefined();
    expect(snapshot.vnics[1]?.macAddress).toBe("02:00:17:00:00:21");
    expect(describeVnics([])).toBe("(none)");
    expect(describeVnics(snapshot.vnics)).toContain("ipv6-subnet=2001:db8:0:1::/64");
  });
});

describe("real metadata shapes", () => {
  // A VM with a second IPv4 VNIC and an IPv6-only VNIC, as OCI returns it: no nicIndex, upper-case
  // MACs, non-zero VLAN tags; the IPv6-only VNIC has no privateIp/virtualRouterIp and
  // subnetCidrBlock "<null>"; plus a field we do not know.
  const vmDoc = [
    {
      vnicId: "ocid1.vnic.oc1.phx.app",
      privateIp: "192.0.2.11",
      vlanTag: 2310,
      macAddr: "02:00:17:0A:B1:01",
      virtualRouterIp: "192.0.2.1",
      subnetCidrBlock: "192.0.2.0/25",
      ipv6SubnetCidrBlock: "2001:db8:0:a::/64",
      ipv6VirtualRouterIp: "fe80::200:17ff:fe00:1",
      ipv6Addresses: [],
    },
    {
      vnicId: "ocid1.vnic.oc1.phx.data",
      privateIp: "198.51.100.11",
      vlanTag: 2311,
      macAddr: "02:00:17:0A:B1:02",
      virtualRouterIp: "198.51.100.1",
      subnetCidrBlock: "198.51.100.0/25",
      somethingNew: { nested: true },
    },
    {
      vnicId: "ocid1.vnic.oc1.phx.v6only",
      vlanTag: 2312,
      macAddr: "02:00:17:0A:B1:03",
      subnetCidrBlock: "<null>",
      ipv6SubnetCidrBlock: "2001:db8:0:6::/64",
      ipv6VirtualRouterIp: "fe80::200:17ff:fe00:1",
      ipv6Addresses: ["2001:db8:0:6::11"],
    },
  ];
  const parse = (doc: unknown) => {
    const parsed = imdsVnicsSchema.safeParse(doc);
    if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
    return toSnapshot(
      { id: "ocid1.instance.oc1..vm", compartmentId: "ocid1.compartment.oc1..c" },
      parsed.data,
    );
  };

  it('parses an IPv6-only VNIC and unknown fields; "<null>" is no CIDR', () => {
    const vm = parse(vmDoc);
    expect(vm.vnics[2]).toMatchObject({
      privateIp: undefined,
      subnetCidr: undefined,
      ipv6SubnetCidr: "2001:db8:0:6::/64",
      macAddress: "02:00:17:0a:b1:03",
      vlanTag: 2312,
      nicIndex: undefined,
    });
    expect(pickVnic(vm, { ip: "192.0.2.100" }).vnicId).toBe("ocid1.vnic.oc1.phx.app");
    expect(pickVnic(vm, { ip: "2001:db8:0:6::100" }).vnicId).toBe("ocid1.vnic.oc1.phx.v6only");
    expect(pickVnic(vm, { mac: "02:00:17:0a:b1:02" }).vnicId).toBe("ocid1.vnic.oc1.phx.data");
    expect(describeVnics(vm.vnics)).toContain("ip=none (IPv6-only)");
  });

  it("reads fields of an unexpected type or null as absent, but still needs vnicId and macAddr", () => {
    const odd = parse([{ ...vmDoc[0], nicIndex: null, vlanTag: "x", privateIp: null }]);
    expect(odd.vnics[0]).toMatchObject({
      nicIndex: undefined,
      vlanTag: undefined,
      privateIp: undefined,
    });
    expect(imdsVnicsSchema.safeParse([{ macAddr: "02:00:17:00:00:01" }]).success).toBe(false);
  });

  it("VM: nic_index means the physical NIC; all VNICs are on 0, combined with the IP it picks one", () => {
    const vm = parse(vmDoc);
    expect(() => pickVnic(vm, { nicIndex: 1 })).toThrow(
      /VNIC_NOT_FOUND|metadata reports no NIC index \(a VM/,
    );
    expect(() => pickVnic(vm, { nicIndex: 0 })).toThrow(
      /3 VNICs match nicIndex=0.*combine nicIndex with the IP/,
    );
    expect(pickVnic(vm, { nicIndex: 0, ip: "198.51.100.100" }).vnicId).toBe(
      "ocid1.vnic.oc1.phx.data",
    );
  });

  it("bare metal: several VNICs share NIC 0; nic_index 1 picks the VNIC on the second NIC", () => {
    const bm = parse([
      { ...vmDoc[0], macAddr: "b8:ce:f6:0a:c1:01", nicIndex: 0, vlanTag: 0 },
      { ...vmDoc[1], nicIndex: 0 },
      {
        vnicId: "ocid1.vnic.oc1.phx.nic1",
        privateIp: "198.51.100.150",
        macAddr: "02:00:17:0a:c1:03",
        subnetCidrBlock: "198.51.100.128/25",
        nicIndex: 1,
        vlanTag: 102,
      },
    ]);
    expect(pickVnic(bm, { nicIndex: 1 }).vnicId).toBe("ocid1.vnic.oc1.phx.nic1");
    expect(() => pickVnic(bm, { nicIndex: 0 })).toThrow(/2 VNICs match nicIndex=0/);
    expect(pickVnic(bm, { nicIndex: 0, ip: "192.0.2.100" }).vnicId).toBe("ocid1.vnic.oc1.phx.app");
    expect(describeVnics(bm.vnics)).toContain("nicIndex=1");
  });
});
