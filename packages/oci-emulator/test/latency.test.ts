import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  defaultScenario,
  type Emulator,
  latencyModel,
  resolveScenario,
  startEmulator,
} from "../src/index.js";
import { instancePrincipal, networkClient } from "./helpers.js";

describe("latency profiles", () => {
  it("realistic: API 40-250 ms, federation 100-400 ms, metadata 1-5 ms; overrides per operation", () => {
    const low = latencyModel("realistic", () => 0);
    const high = latencyModel("realistic", () => 1);
    expect([low.delayFor("GetVnic"), high.delayFor("UpdatePrivateIp")]).toEqual([40, 250]);
    expect([low.delayFor("Federation"), high.delayFor("Federation")]).toEqual([100, 400]);
    expect([low.delayFor("Imds"), high.delayFor("Imds")]).toEqual([1, 5]);
    expect(latencyModel("zero").delayFor("GetVnic")).toBe(0);
    const custom = latencyModel(
      {
        api: { minMs: 10, maxMs: 10 },
        operations: { UpdatePrivateIp: { minMs: 900, maxMs: 900 } },
      },
      () => 0.5,
    );
    expect(custom.name).toBe("custom");
    expect([custom.delayFor("GetVnic"), custom.delayFor("UpdatePrivateIp")]).toEqual([10, 900]);
    expect(custom.delayFor("Imds")).toBe(0);
    expect(() => latencyModel({ api: { minMs: 5, maxMs: 1 } })).toThrow(/minMs must not exceed/);
  });

  it("a scenario can name its profile; a bad one is refused with the field", () => {
    expect(resolveScenario({ ...defaultScenario(), latency: "realistic" }).latency).toBe(
      "realistic",
    );
    expect(() => resolveScenario({ ...defaultScenario(), latency: "slow" })).toThrow(/latency/);
  });
});

describe("an emulator with realistic latency", () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ latency: "realistic" });
  });
  afterAll(async () => emu?.stop());

  it("answers API calls no sooner than 40 ms and federation no sooner than 100 ms", async () => {
    expect(emu.latency).toMatchObject({ name: "realistic" });
    const client = networkClient(emu, await instancePrincipal(emu, "node1"));
    const vnicId = emu.scenario.instances[0]!.vnics[0]!.id;
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      await client.getVnic({ vnicId });
      expect(performance.now() - started).toBeGreaterThanOrEqual(39);
    }
    const log = emu.requestLog();
    for (const entry of log.filter((e) => e.operation === "GetVnic"))
      expect(entry.durationMs).toBeGreaterThanOrEqual(39);
    for (const entry of log.filter((e) => e.operation === "Federation"))
      expect(entry.durationMs).toBeGreaterThanOrEqual(99);
    for (const entry of log.filter((e) => e.operation === "Imds"))
      expect(entry.durationMs).toBeGreaterThanOrEqual(0.9);
  });

  it("switches profile at run time", async () => {
    emu.setLatency({ api: { minMs: 300, maxMs: 300 } });
    expect(emu.latency.name).toBe("custom");
    const client = networkClient(emu, await instancePrincipal(emu, "node1"));
    const vnicId = emu.scenario.instances[0]!.vnics[0]!.id;
    const started = performance.now();
    await client.getVnic({ vnicId });
    expect(performance.now() - started).toBeGreaterThanOrEqual(299);
    emu.setLatency("realistic");
    expect(emu.latency.name).toBe("realistic");
  });
});
