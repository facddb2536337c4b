import { defaultScenario, type Scenario } from "@ocfkit/oci-emulator";

/** node1's second VNIC in the /25 "vip" subnet (not the primary, not the default route's). */
export const WIDE = {
  vip: "198.51.100.100",
  prefix: 25,
  node1Mac2: "02:00:17:00:01:11",
  node2Mac2: "02:00:17:00:01:12",
} as const;

/**
 * The tutorial's layout plus a second subnet, 198.51.100.0/25, with a second VNIC on each node:
 * the floating IP lives there, so the right VNIC is not the first one, the right interface is not
 * the default route's, and the prefix is not 24.
 */
export function wideScenario(): Scenario {
  const s = defaultScenario();
  s.vcns[0]!.cidrBlocks.push("198.51.100.0/24");
  s.subnets.push({
    name: "subnet-vip",
    vcn: "vcn-ha",
    compartment: "ha",
    cidrBlock: "198.51.100.0/25",
  });
  s.instances[0]!.vnics.push({
    subnet: "subnet-vip",
    macAddress: WIDE.node1Mac2,
    privateIp: "198.51.100.21",
  });
  s.instances[1]!.vnics.push({
    subnet: "subnet-vip",
    macAddress: WIDE.node2Mac2,
    privateIp: "198.51.100.22",
  });
  return s;
}
