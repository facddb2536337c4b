import type { Scenario } from "./scenario-schema.js";

type ScenarioInstance = Scenario["instances"][number];

/**
 * A scenario with the shapes real OCI instances have, to test against more than the tidy default.
 * Each fact names its public source:
 * - VMs' `/opc/v2/vnics/` entries have no `nicIndex`; bare metal reports the physical NIC, shared
 *   by several VNICs (OCI docs "Virtual Network Interface Cards", "Getting instance metadata";
 *   Compute `VnicAttachment.nicIndex`).
 * - An IPv6-only VNIC has no `privateIp` or `virtualRouterIp`, and `subnetCidrBlock` is "<null>"
 *   (metadata responses of dual-stack instances, as in cloud-init's Oracle data-source tests).
 * - MACs are upper case on VMs, lower case on bare metal; VMs report non-zero VLAN tags (same).
 * - A subnet can have several IPv4 CIDRs (`Subnet.ipv4CidrBlocks`, oci-core `model/subnet`); the
 *   metadata service shows only the first.
 * - Older regions report a short `region` key (`phx`); `canonicalRegionName` has the full id.
 * - Deleting an IPv6 is asynchronous: TERMINATING first (oci-core `model/ipv6`).
 *
 * Instances: `vm1` and `vm2` (VMs: a primary VNIC in the dual-stack, two-CIDR `subnet-app`, a
 * secondary in `subnet-data`, an IPv6-only VNIC in `subnet-v6`), and `bm1` (bare metal: two VNICs
 * on NIC 0, one on NIC 1). All addresses are TEST-NET.
 */
export function realShapesScenario(): Scenario {
  return {
    region: "us-phoenix-1",
    tenancy: { name: "ocfkit" },
    compartments: [{ name: "ha" }],
    vcns: [
      {
        name: "vcn-ha",
        compartment: "ha",
        cidrBlocks: ["192.0.2.0/24", "198.51.100.0/24"],
        ipv6CidrBlocks: ["2001:db8::/56"],
      },
    ],
    subnets: [
      {
        name: "subnet-app",
        vcn: "vcn-ha",
        compartment: "ha",
        cidrBlock: "192.0.2.0/25",
        secondaryCidrBlocks: ["192.0.2.128/25"],
        ipv6CidrBlock: "2001:db8:0:a::/64",
      },
      { name: "subnet-data", vcn: "vcn-ha", compartment: "ha", cidrBlock: "198.51.100.0/25" },
      { name: "subnet-nic1", vcn: "vcn-ha", compartment: "ha", cidrBlock: "198.51.100.128/25" },
      { name: "subnet-v6", vcn: "vcn-ha", compartment: "ha", ipv6CidrBlock: "2001:db8:0:6::/64" },
    ],
    instances: [...[1, 2].map(vm), bareMetal()],
    users: [{ name: "admin" }],
    dynamicGroups: [{ name: "ha-nodes", instances: ["vm1", "vm2", "bm1"] }],
    grants: [
      { principal: "dynamic-group:ha-nodes", compartment: "ha", verb: "manage" },
      { principal: "user:admin", compartment: "ha", verb: "manage" },
    ],
    ipv6TerminatingMs: 1500,
  };
}

const vnicId = (name: string) => `ocid1.vnic.oc1.phx.abyhqljr${name}`;

function vm(n: number): ScenarioInstance {
  return {
    name: `vm${n}`,
    compartment: "ha",
    shape: "VM.Standard.E4.Flex",
    vnics: [
      {
        id: vnicId(`vm${n}app`),
        subnet: "subnet-app",
        macAddress: `02:00:17:0A:B${n}:01`,
        privateIp: `192.0.2.1${n}`,
        vlanTag: 2300 + n * 10,
      },
      {
        id: vnicId(`vm${n}data`),
        subnet: "subnet-data",
        macAddress: `02:00:17:0A:B${n}:02`,
        privateIp: `198.51.100.1${n}`,
        vlanTag: 2301 + n * 10,
      },
      {
        id: vnicId(`vm${n}v6only`),
        subnet: "subnet-v6",
        macAddress: `02:00:17:0A:B${n}:03`,
        ipv6Addresses: [`2001:db8:0:6::1${n}`],
        vlanTag: 2302 + n * 10,
      },
    ],
  };
}

function bareMetal(): ScenarioInstance {
  return {
    name: "bm1",
    compartment: "ha",
    shape: "BM.Standard.E4.128",
    vnics: [
      {
        id: vnicId("bm1app"),
        subnet: "subnet-app",
        macAddress: "b8:ce:f6:0a:c1:01",
        privateIp: "192.0.2.21",
        nicIndex: 0,
        vlanTag: 0,
      },
      {
        id: vnicId("bm1data"),
        subnet: "subnet-data",
        macAddress: "02:00:17:0a:c1:02",
        privateIp: "198.51.100.21",
        nicIndex: 0,
        vlanTag: 101,
      },
      {
        id: vnicId("bm1nic1"),
        subnet: "subnet-nic1",
        macAddress: "02:00:17:0a:c1:03",
        privateIp: "198.51.100.150",
        nicIndex: 1,
        vlanTag: 102,
      },
    ],
  };
}
