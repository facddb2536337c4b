import type * as common from "oci-common";
import type * as core from "oci-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { defaultScenario, type Emulator, type PowerChange, startEmulator } from "../src/index.js";
import { computeClient, instancePrincipal } from "./helpers.js";

let emu: Emulator;
let compute: core.ComputeClient;
let node1: string;
let node2: string;
const changes: PowerChange[] = [];

beforeAll(async () => {
  emu = await startEmulator();
  node1 = emu.scenario.instances.find((i) => i.name === "node1")!.id;
  node2 = emu.scenario.instances.find((i) => i.name === "node2")!.id;
  compute = computeClient(emu, await instancePrincipal(emu, "node1"));
  emu.compute.onPowerChange((c) => {
    changes.push(c);
  });
});
afterAll(async () => {
  await emu?.stop();
});
beforeEach(async () => {
  await emu.compute.settled();
  emu.reset();
  changes.length = 0;
  emu.compute.setTimings({ stopMs: 30, startMs: 30 });
});

const state = async (id: string) =>
  (await compute.getInstance({ instanceId: id })).instance.lifecycleState;

describe("Compute power lifecycle (GetInstance, InstanceAction)", () => {
  it("STOP goes RUNNING → STOPPING → STOPPED and reports the power cut; START brings it back", async () => {
    expect(await state(node2)).toBe("RUNNING");
    const stopped = await compute.instanceAction({ instanceId: node2, action: "STOP" });
    expect(stopped.instance.lifecycleState).toBe("STOPPING");
    expect(stopped.instance.displayName).toBe("node2");
    await emu.compute.settled();
    expect(await state(node2)).toBe("STOPPED");
    expect(changes).toEqual([
      { instance: "node2", instanceId: node2, power: "off", action: "STOP" },
    ]);
    // Stopping a stopped instance changes nothing.
    await compute.instanceAction({ instanceId: node2, action: "STOP" });
    expect(changes).toHaveLength(1);
    const started = await compute.instanceAction({ instanceId: node2, action: "START" });
    expect(started.instance.lifecycleState).toBe("STARTING");
    await emu.compute.settled();
    expect(await state(node2)).toBe("RUNNING");
    expect(changes.map((c) => c.power)).toEqual(["off", "on"]);
  });

  it("RESET cuts power and brings it back; a state settles only after the listener", async () => {
    let release: () => void = () => {};
    const slow = emu.compute.onPowerChange(
      (c) =>
        new Promise<void>((r) => {
          if (c.power === "off") release = r;
          else r();
        }),
    );
    await compute.instanceAction({ instanceId: node2, action: "RESET" });
    await new Promise((r) => setTimeout(r, 80));
    expect(emu.compute.state("node2")).toBe("STOPPING");
    release();
    slow();
    await emu.compute.settled();
    expect(emu.compute.state("node2")).toBe("RUNNING");
    expect(changes.map((c) => `${c.power}:${c.action}`)).toEqual(["off:RESET", "on:RESET"]);
  });

  it("START while STOPPING is 409 IncorrectState; an unknown action is 400", async () => {
    emu.compute.setTimings({ stopMs: 500 });
    await compute.instanceAction({ instanceId: node2, action: "STOP" });
    const conflict = await compute
      .instanceAction({ instanceId: node2, action: "START" })
      .catch((e: common.OciError) => e);
    expect(conflict).toMatchObject({ statusCode: 409, serviceCode: "IncorrectState" });
    const bad = await compute
      .instanceAction({ instanceId: node2, action: "EXPLODE" as never })
      .catch((e: common.OciError) => e);
    expect(bad).toMatchObject({ statusCode: 400, serviceCode: "InvalidParameter" });
  });

  it("faults and latency apply to InstanceAction and GetInstance like other operations", async () => {
    emu.faults.add({ operation: "InstanceAction", status: 503, count: 1 });
    const failed = await compute
      .instanceAction({ instanceId: node2, action: "STOP" })
      .catch((e: common.OciError) => e);
    expect(failed).toMatchObject({ statusCode: 503 });
    expect(emu.compute.state("node2")).toBe("RUNNING");
    emu.faults.add({ operation: "GetInstance", latencyMs: 150, count: 1 });
    const t0 = Date.now();
    expect(await state(node1)).toBe("RUNNING");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    const logged = emu.requestLog().map((e) => `${e.operation} ${e.status} ${e.signature}`);
    expect(logged).toContain("InstanceAction 503 ok");
    expect(logged).toContain("GetInstance 200 ok");
  });

  it("ListInstances filters by compartment and displayName", async () => {
    const compartmentId = emu.scenario.compartments.find((c) => c.name === "ha")!.id;
    const all = await compute.listInstances({ compartmentId });
    expect(all.items.map((i) => i.displayName).sort()).toEqual(["node1", "node2"]);
    const one = await compute.listInstances({ compartmentId, displayName: "node2" });
    expect(one.items.map((i) => i.id)).toEqual([node2]);
  });

  it("IAM: a principal with read only cannot power instances off (OCI's 404)", async () => {
    const scenario = defaultScenario();
    scenario.grants = [{ principal: "dynamic-group:ha-nodes", compartment: "ha", verb: "read" }];
    const readOnly = await startEmulator({ scenario });
    try {
      const client = computeClient(readOnly, await instancePrincipal(readOnly, "node1"));
      const id = readOnly.scenario.instances[1]!.id;
      expect((await client.getInstance({ instanceId: id })).instance.lifecycleState).toBe(
        "RUNNING",
      );
      const denied = await client
        .instanceAction({ instanceId: id, action: "STOP" })
        .catch((e: common.OciError) => e);
      expect(denied).toMatchObject({ statusCode: 404, serviceCode: "NotAuthorizedOrNotFound" });
      expect(readOnly.compute.state(id)).toBe("RUNNING");
    } finally {
      await readOnly.stop();
    }
  });
});
