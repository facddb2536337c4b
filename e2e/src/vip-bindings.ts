import { defaultScenario, ruleTarget, type Scenario } from "@ocfkit/oci-emulator";
import type { CloudLab } from "./cloud.js";

/** A reserved public IP (TEST-NET-3) that stands for the VIP's address on the internet. */
export const vipPublicIp = "203.0.113.10";
/** The destination of the route rule that sends traffic to the VIP (a network behind it). */
export const vipRouteDestination = "198.51.100.128/25";

/**
 * The emulator's default two-node scenario, plus what users bind to a floating IP's private IP
 * OCID: the VIP already exists on node1's VNIC, a reserved public IP is assigned to it, and a route
 * rule targets it. On OCI both follow the private IP only as long as its OCID lives: moving it
 * (UpdatePrivateIp) keeps them, deleting it unassigns the public IP and blackholes the route.
 */
export function vipBoundScenario(vip: string): Scenario {
  const scenario = defaultScenario();
  scenario.instances[0]!.vnics[0]!.secondaryPrivateIps = [vip];
  scenario.publicIps = [
    {
      name: "vip-public",
      compartment: "ha",
      lifetime: "RESERVED",
      ipAddress: vipPublicIp,
      privateIp: vip,
    },
  ];
  scenario.routeTables = [
    {
      name: "rt-to-vip",
      vcn: "vcn-ha",
      compartment: "ha",
      rules: [{ destination: vipRouteDestination, targetPrivateIp: vip }],
    },
  ];
  return scenario;
}

/** Where the VIP's private IP, its public IP and the route rule point now, from the emulator. */
export interface VipBindings {
  /** OCID of the VIP's private IP (undefined when it no longer exists). */
  readonly privateIpId: string | undefined;
  /** Instance whose VNIC holds the private IP. */
  readonly holder: string | undefined;
  /** The reserved public IP: the private IP it is assigned to, and its state. */
  readonly publicIp:
    | { readonly privateIpId: string | undefined; readonly state: string }
    | undefined;
  /** The route rule's target: the instance whose VNIC receives its traffic, or `blackhole`. */
  readonly route: string | undefined;
}

/** Reads {@link VipBindings} for `vip` from the emulator's state. */
export function vipBindings(cloud: CloudLab, vip: string): VipBindings {
  const state = cloud.emulator.state();
  const instanceOf = (vnicId: string | undefined) =>
    cloud.emulator.scenario.instances.find((i) => i.vnics.some((v) => v.id === vnicId))?.name;
  const privateIp = state.privateIps.find((p) => p.ipAddress === vip);
  const publicIp = state.publicIps.find((p) => p.ipAddress === vipPublicIp);
  const rule = state.routeTables
    .flatMap((t) => t.routeRules)
    .find((r) => r.destination === vipRouteDestination);
  const target = rule ? ruleTarget(state, rule) : undefined;
  return {
    privateIpId: privateIp?.id,
    holder: instanceOf(privateIp?.vnicId),
    publicIp: publicIp && { privateIpId: publicIp.privateIpId, state: publicIp.lifecycleState },
    route: typeof target === "object" ? instanceOf(target.vnicId) : target,
  };
}
