import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createFailoverLab,
  enableFencing,
  type FailoverLab,
  type Fencing,
  runFencedSplitScenario,
  runKillScenario,
  runReturnScenario,
  runStandbyScenario,
} from "../src/index.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Fencing on, as the tutorial sets it up: one fence_oci device per node (pcs stonith create),
// a delay on node1's, stonith-enabled=true. Powering an instance off in the emulator kills the
// node's processes and pulls its link; powering it on boots it (corosync + pacemaker).
describe("fence_oci on a real two-node cluster with the OCI emulator", () => {
  let lab: FailoverLab;
  let fencing: Fencing;
  const instanceId = (node: string) =>
    lab.cloud!.emulator.scenario.instances.find((i) => i.name === node)!.id;
  const offs = (since: number) =>
    fencing.powerChanges.filter((c) => c.power === "off" && c.t >= since).map((c) => c.instance);
  const waitAllOnline = () =>
    lab.cluster.waitForStatus(
      "both nodes Online",
      (s) => ["node1", "node2"].every((n) => s.nodes.some((x) => x.name === n && x.online)),
      120_000,
    );

  beforeAll(async () => {
    lab = await createFailoverLab({ nodes: 2, tokenMs: 1000, agent: "ocivip" });
    fencing = await enableFencing(lab, { delayedNode: "node1", delaySeconds: 2 });
  }, 300_000);

  afterAll(async () => {
    await fencing?.close();
    await lab?.destroy();
  });

  it("stonith_admin: --list shows the device for a node, --list-targets its instance", async () => {
    const devices = await lab.cluster.exec("node1", "stonith_admin", ["--list", "node2"], {
      timeoutMs: 60_000,
    });
    expect(devices.stdout).toContain("fence-node2");
    const targets = await lab.cluster.exec(
      "node1",
      "stonith_admin",
      ["--list-targets", "fence-node2"],
      {
        timeoutMs: 60_000,
      },
    );
    expect(targets.stdout).toMatch(new RegExp(`${instanceId("node2")}|node2`));
  }, 120_000);

  it("split: exactly one node is fenced, the VIP ends on the survivor, never on two; the fenced node rejoins without it", async () => {
    const t0 = Date.now();
    const result = await runFencedSplitScenario(lab, fencing);
    console.log("fenced split (owner survives):", JSON.stringify(result));
    // node1's device waits: node1 fences node2 first.
    expect(result.fenced).toEqual(["node2"]);
    expect(result.survivor).toBe("node1");
    expect(result.dualActiveSamples).toBe(0);
    expect(result.cloudHolders).toEqual(["node1"]);
    expect(offs(t0)).toEqual(["node2"]);
    await sleep(2000);
    expect(await lab.owner()).toBe("node1");
    expect(lab.sampler.statsSince(t0).dualActiveSamples).toBe(0);
    expect(fencing.hookErrors).toEqual([]);
  }, 240_000);

  it("split while node2 holds the VIP: node2 is fenced and the VIP moves to node1", async () => {
    await runStandbyScenario(lab, "node1");
    await runReturnScenario(lab, "node1", 500);
    expect(await lab.owner()).toBe("node2");
    const result = await runFencedSplitScenario(lab, fencing);
    console.log("fenced split (owner fenced):", JSON.stringify(result));
    expect(result.fenced).toEqual(["node2"]);
    expect(result.survivor).toBe("node1");
    expect(result.dualActiveSamples).toBe(0);
    expect(result.cloudHolders).toEqual(["node1"]);
  }, 240_000);

  it("the owner dies: it is fenced (powered off) before the VIP moves", async () => {
    const t0 = Date.now();
    const result = await runKillScenario(lab, "node1");
    console.log(
      "kill with fencing:",
      JSON.stringify({ addressUpMs: result.addressUpMs, clientReplyMs: result.clientReplyMs }),
    );
    expect(result.ownerAfter).toBe("node2");
    expect(result.dualActiveSamples).toBe(0);
    const fencedAt = fencing.powerChanges.find((c) => c.power === "off" && c.t >= t0);
    expect(fencedAt?.instance).toBe("node1");
    expect(fencedAt!.t).toBeLessThanOrEqual(t0 + (result.addressUpMs ?? 0));
    await waitAllOnline();
    expect(await lab.owner()).toBe("node2");
  }, 240_000);

  it("fence device failing (API 503): the cluster waits, never runs the VIP twice, recovers when the API returns", async () => {
    expect(await lab.owner()).toBe("node2");
    const emu = lab.cloud!.emulator;
    emu.faults.add({ operation: "InstanceAction", status: 503, code: "ServiceUnavailable" });
    emu.faults.add({ operation: "GetInstance", status: 503, code: "ServiceUnavailable" });
    const splitAt = Date.now();
    await lab.cluster.setSplit(true);
    await sleep(20_000);
    expect(offs(splitAt)).toEqual([]);
    expect(lab.sampler.statsSince(splitAt).dualActiveSamples).toBe(0);
    expect(lab.sampler.latest()?.active).toEqual(["node2"]);
    expect(lab.cloud!.holders(lab.resource.vip)).toEqual(["node2"]);
    const refused = emu
      .requestLog()
      .filter((r) => r.fault !== undefined && Date.parse(r.time) >= splitAt);
    expect(refused.length).toBeGreaterThan(0);
    emu.faults.clear();
    const t = Date.now();
    let fenced: string[] = [];
    while (Date.now() - t < 90_000 && fenced.length === 0) {
      await sleep(250);
      fenced = offs(splitAt);
    }
    expect(fenced).toHaveLength(1);
    const survivor = fenced[0] === "node1" ? "node2" : "node1";
    await lab.cluster.waitResourceOn(lab.resource.id, survivor, 60_000).catch(() => undefined);
    await sleep(1500);
    expect(lab.sampler.latest()?.active).toEqual([survivor]);
    expect(lab.sampler.statsSince(splitAt).dualActiveSamples).toBe(0);
    await lab.cluster.setSplit(false);
    await waitAllOnline();
    expect(fencing.hookErrors).toEqual([]);
  }, 300_000);

  it("stonith_admin --reboot and --fence (off) run fence_oci against the node's instance", async () => {
    const owner = (await lab.owner())!;
    const other = owner === "node1" ? "node2" : "node1";
    const t0 = Date.now();
    const reboot = await lab.cluster.exec(
      owner,
      "stonith_admin",
      ["--reboot", other, "--timeout", "120"],
      {
        timeoutMs: 150_000,
      },
    );
    expect(reboot.exitCode).toBe(0);
    expect(
      fencing.powerChanges.filter((c) => c.t >= t0).map((c) => `${c.instance}:${c.power}`),
    ).toEqual([`${other}:off`, `${other}:on`]);
    await waitAllOnline();
    const t1 = Date.now();
    const off = await lab.cluster.exec(
      owner,
      "stonith_admin",
      ["--fence", other, "--timeout", "120"],
      {
        timeoutMs: 150_000,
      },
    );
    expect(off.exitCode).toBe(0);
    expect(offs(t1)).toEqual([other]);
    expect(lab.cloud!.emulator.compute.state(other)).toBe("STOPPED");
    expect(lab.cluster.runningNodes()).toEqual([owner]);
    const history = await lab.cluster.exec(owner, "stonith_admin", ["--history", other], {
      timeoutMs: 30_000,
    });
    expect(history.stdout).toMatch(/off|reboot/);
    expect(await lab.owner()).toBe(owner);
  }, 300_000);
});
