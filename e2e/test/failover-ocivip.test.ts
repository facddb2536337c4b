import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createFailoverLab,
  type FailoverLab,
  listNamespaces,
  runKillScenario,
  runOutageScenario,
  runReturnScenario,
  runSplitScenario,
  runStandbyScenario,
  type VipBindings,
  vipBindings,
  vipBoundScenario,
} from "../src/index.js";
import { expectSingleOwner, nodesHoldingVip } from "./assertions.js";

// ocf:ocfkit:ocivip, installed with `ocivip install` into the run's OCF root, against the OCI
// emulator reached by the nodes at 198.51.100.1 behind the subnet gateway. The VIP's private IP
// carries a reserved public IP and a route rule (bound to its OCID), as users set them up on OCI:
// after every failover both must still point at the same OCID, now on the new owner's VNIC.
const VIP = "192.0.2.100";

describe("ocivip failover on a real two-node cluster with the OCI emulator", () => {
  let lab: FailoverLab;
  let bound: VipBindings;

  /** The VIP kept its OCID; the public IP and the route rule follow it to `owner`. */
  const expectBindingsOn = (owner: string) => {
    expect(vipBindings(lab.cloud!, VIP)).toEqual({
      privateIpId: bound.privateIpId,
      holder: owner,
      publicIp: { privateIpId: bound.privateIpId, state: "ASSIGNED" },
      route: owner,
    });
  };

  beforeAll(async () => {
    lab = await createFailoverLab({
      nodes: 2,
      tokenMs: 1000,
      agent: "ocivip",
      vip: VIP,
      scenario: vipBoundScenario(VIP),
    });
    bound = vipBindings(lab.cloud!, VIP);
  }, 240_000);

  afterAll(async () => {
    await lab?.destroy();
  });

  it("starts on node1 with every endpoint on the emulator and the IP on node1's VNIC", () => {
    expect(lab.resource.agent).toBe("ocf:ocfkit:ocivip");
    expect(lab.cloud?.urls.imds.node1).toMatch(/^http:\/\/198\.51\.100\.1:\d+\/imds\/node1\//);
    expect(lab.cloud?.holders(lab.resource.vip)).toEqual(["node1"]);
    const signed = lab.cloud?.emulator.requestLog().filter((r) => r.signature === "invalid");
    expect(signed).toEqual([]);
    expect(bound.privateIpId).toMatch(/^ocid1\.privateip\./);
    expectBindingsOn("node1");
  });

  it("node1 dies: the cloud moves the IP to node2's VNIC, the kernel and the client follow", async () => {
    const result = await runKillScenario(lab, "node1");
    await expectSingleOwner(lab, result, "node2");
    expect(result.cloudHolders).toEqual(["node2"]);
    expect(result.clientReplyMs).toBeLessThan(20_000);
    const kinds = result.events.map((e) => e.kind);
    expect(kinds).toContain("cloud-move");
    const move = result.events.find((e) => e.kind === "cloud-move")!;
    const up = result.events.find((e) => e.kind === "address-up")!;
    expect(move.t).toBeLessThanOrEqual(up.t + lab.sampleIntervalMs);
    expectBindingsOn("node2");
  }, 60_000);

  it("node1 comes back: no fail-back, the IP stays on node2's VNIC", async () => {
    const result = await runReturnScenario(lab, "node1", 2000);
    await expectSingleOwner(lab, result, "node2");
    expect(result.cloudHolders).toEqual(["node2"]);
    expect(result.clientLostReplies).toBe(0);
    expectBindingsOn("node2");
  }, 60_000);

  it("standby of node2 moves the IP gracefully to node1; node2's return does not take it back", async () => {
    const moved = await runStandbyScenario(lab, "node2");
    await expectSingleOwner(lab, moved, "node1");
    expect(moved.cloudHolders).toEqual(["node1"]);
    expectBindingsOn("node1"); // a planned move: stop on node2 kept the OCID
    const back = await runReturnScenario(lab, "node2", 1000);
    await expectSingleOwner(lab, back, "node1");
    expect(back.cloudHolders).toEqual(["node1"]);
    expectBindingsOn("node1");
  }, 60_000);

  it("OCI API outage during failover: the move completes, or fails clearly and recovers, never on two nodes", async () => {
    const result = await runOutageScenario(lab, 3000);
    expect(result.refusedRequests).toBeGreaterThan(0);
    // Either the start rides out the outage, or it fails with a reason naming the API error.
    if (result.outcome === "failed-then-recovered") expect(result.failure).toMatch(/503|Service/);
    await expectSingleOwner(lab, result, "node2");
    expect(result.cloudHolders).toEqual(["node2"]);
    expectBindingsOn("node2");
    await runReturnScenario(lab, "node1", 500);
  }, 120_000);

  it("split between the nodes, then heal: one VNIC, one kernel address, the client on its MAC", async () => {
    const result = await runSplitScenario(lab, 10_000);
    expect(result.claimedDuringSplit.length).toBeGreaterThan(0);
    expect(result.cloudHoldersDuringSplit.length).toBeLessThanOrEqual(1);
    const owner = result.ownerAfter!;
    expect(owner).toMatch(/^node[12]$/);
    expect(result.cloudHolders).toEqual([owner]);
    expect(result.activeAfter).toEqual([owner]);
    expect(result.dualActiveAfterConvergence).toBe(0);
    expect(await nodesHoldingVip(lab)).toEqual([owner]);
    const mac = lab.cluster.plan.nodes.find((n) => n.name === owner)?.mac;
    expect(result.arp.neighborMac).toBe(mac);
    expect(result.arp.arpingMacs).toEqual([mac]);
    expectBindingsOn(owner);
  }, 120_000);

  it("destroy stops the emulator and leaves no namespace behind", async () => {
    const prefix = `${lab.cluster.plan.bridge.netns.replace(/-br$/, "")}-`;
    await lab.destroy();
    expect(listNamespaces(prefix)).toEqual([]);
    await expect(fetch(lab.cloud!.emulator.urls.api)).rejects.toThrow();
  });
});
