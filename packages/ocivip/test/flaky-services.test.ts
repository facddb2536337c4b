import { rmSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resourceDirPath } from "../src/runtime/files.js";
import { createWorld, VIP, type World } from "./helpers/world.js";

// The metadata service and federation are retried until the action's deadline, as API calls
// are; a 401 caused by the node's clock says so. Through the agent process, against the emulator.
let world: World;
const params = { secondary_private_ip: VIP };
const exitReason = (stderr: string) =>
  stderr
    .split("\n")
    .filter((l) => l.startsWith("ocf-exit-reason:"))
    .join("\n");

beforeAll(async () => {
  world = await createWorld({ nodes: { node1: undefined } });
}, 120_000);
afterAll(async () => {
  await world?.close();
});
beforeEach(async () => {
  world.emulator.faults.clear();
  world.emulator.setClockOffset(0);
  world.emulator.clearRequestLog();
  // Released in the cloud too, so every test starts with the IP on no VNIC.
  const stop = await world.run("stop", { ...params, release_on_stop: "true" });
  expect(stop.status).toBe(0);
  // Cold: no cached metadata or session, so the services are asked.
  rmSync(resourceDirPath({ HA_RSCTMP: world.nodes.node1!.rscTmp, OCF_RESOURCE_INSTANCE: "vip" }), {
    recursive: true,
    force: true,
  });
  world.emulator.clearRequestLog();
});

/** Makes `operation` answer 503 for `ms` from its first failed request, then recover. */
function failFor(operation: "Imds" | "Federation", ms: number): void {
  world.emulator.faults.add({ operation, status: 503, code: "ServiceUnavailable" });
  const watch = setInterval(() => {
    if (failures(operation) === 0) return;
    clearInterval(watch);
    setTimeout(() => world.emulator.faults.clear(), ms).unref();
  }, 20);
  watch.unref();
}

const failures = (operation: string) =>
  world.emulator.requestLog().filter((r) => r.operation === operation && r.status === 503).length;

describe("services that fail for a while", () => {
  it("metadata service failing for 2 s: start retries it and succeeds", async () => {
    failFor("Imds", 2000);
    const res = await world.run("start", params);
    expect(res.status, res.stderr).toBe(0);
    expect(world.holder(VIP)).toBe(world.vnicId("node1"));
    expect(failures("Imds")).toBeGreaterThan(3);
  }, 60_000);

  it("federation answering 503 for 2 s: start retries it and succeeds", async () => {
    failFor("Federation", 2000);
    const res = await world.run("start", params);
    expect(res.status, res.stderr).toBe(0);
    expect(world.holder(VIP)).toBe(world.vnicId("node1"));
    expect(failures("Federation")).toBeGreaterThan(2);
  }, 60_000);
});

describe("a node whose clock is wrong", () => {
  it("start fails with a reason that says clock skew, not only 'not authenticated'", async () => {
    world.emulator.setClockOffset(10 * 60_000);
    const res = await world.run("start", params);
    expect(res.status).toBe(1);
    expect(exitReason(res.stderr)).toMatch(/clock skew of (599|600) s/);
    expect(world.holder(VIP)).toBeUndefined();
    // With a warm session the API call is the one refused: the same explanation.
    world.emulator.setClockOffset(0);
    expect((await world.run("start", params)).status).toBe(0);
    world.emulator.setClockOffset(-7 * 60_000);
    const warm = await world.run("start", params, { env: { OCF_CHECK_LEVEL: "10" } });
    const monitor = await world.run("monitor", params, { env: { OCF_CHECK_LEVEL: "10" } });
    expect(warm.status + monitor.status).toBeGreaterThan(0);
    expect(exitReason(warm.stderr + monitor.stderr)).toMatch(/clock skew of -42[01] s/);
  }, 60_000);
});
