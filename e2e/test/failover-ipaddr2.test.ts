import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createFailoverLab,
  type FailoverLab,
  listNamespaces,
  runKillScenario,
  runReturnScenario,
  runStandbyScenario,
} from "../src/index.js";
import { expectSingleOwner, nodeLink } from "./assertions.js";

// One lab for the whole story (≈ 30 s): each step starts from where the previous one left the VIP.
describe("IPaddr2 failover on a real two-node cluster (token 1000 ms)", () => {
  let lab: FailoverLab;

  beforeAll(async () => {
    lab = await createFailoverLab({ nodes: 2, tokenMs: 1000 });
  }, 90_000);

  afterAll(async () => {
    await lab?.destroy();
  });

  it("node1 dies: the VIP answers from node2 within seconds, never on both", async () => {
    expect(await lab.owner()).toBe("node1");
    const result = await runKillScenario(lab, "node1");
    await expectSingleOwner(lab, result, "node2");
    expect(result.clientReplyMs).toBeLessThan(10_000);
    expect(result.addressUpMs).toBeGreaterThan(result.tokenMs / 2);
    const kinds = result.events.map((e) => e.kind);
    for (const kind of [
      "trigger",
      "token-lost",
      "membership",
      "start-done",
      "address-up",
      "client-reply",
    ]) {
      expect(kinds).toContain(kind);
    }
    // The dead node's kernel keeps the address, but its link is down: it cannot answer.
    expect(lab.cluster.runningNodes()).toEqual(["node2"]);
    const deadLink = await nodeLink(lab, "node1");
    expect(deadLink.up).toBe(false);
    expect(deadLink.addresses).toContain(lab.resource.vip);
  }, 60_000);

  it("node1 comes back: it rejoins and the VIP stays on node2 (stickiness, no fail-back)", async () => {
    const result = await runReturnScenario(lab, "node1", 3000);
    await expectSingleOwner(lab, result, "node2");
    expect(result.ownerBefore).toBe("node2");
    expect(result.clientLostReplies).toBe(0);
    expect(
      result.events.filter((e) => e.kind === "start-initiated" || e.kind === "stop-initiated"),
    ).toEqual([]);
    const status = await lab.cluster.status();
    expect(status.nodes.every((n) => n.online)).toBe(true);
  }, 60_000);

  it("standby of the owner moves the VIP gracefully: stop before start, one owner throughout", async () => {
    const result = await runStandbyScenario(lab, "node2");
    await expectSingleOwner(lab, result, "node1");
    const stopDone = result.events.find((e) => e.kind === "stop-done");
    const startInitiated = result.events.find((e) => e.kind === "start-initiated");
    expect(stopDone).toBeDefined();
    expect(startInitiated).toBeDefined();
    expect(stopDone!.t).toBeLessThanOrEqual(startInitiated!.t);
  }, 60_000);

  it("the standby node returns: the VIP stays where it is", async () => {
    const result = await runReturnScenario(lab, "node2", 2000);
    await expectSingleOwner(lab, result, "node1");
    expect(result.clientLostReplies).toBe(0);
  }, 60_000);

  it("destroy leaves no namespace, process or run directory behind", async () => {
    const { plan } = lab.cluster;
    const prefix = `${plan.bridge.netns.replace(/-br$/, "")}-`;
    expect(listNamespaces(prefix).length).toBe(plan.nodes.length + 2);
    await lab.destroy();
    expect(listNamespaces(prefix)).toEqual([]);
    const { existsSync } = await import("node:fs");
    expect(existsSync(plan.runDir)).toBe(false);
    expect(lab.cluster.runningNodes()).toEqual([]);
  }, 60_000);
});
