import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createWorld, VIP, type World } from "./helpers/world.js";

// A warm standby: the "not running" monitor on the passive node prepares the takeover.
let world: World;
beforeAll(async () => {
  world = await createWorld();
}, 120_000);
afterAll(async () => {
  await world?.close();
});

const params = { secondary_private_ip: VIP, warm_standby: "true" };
const dir = () => join(world.nodes.node2!.rscTmp, "ocfkit-ocivip", "vip");
const ticket = () => join(dir(), "standby.json");
const node2Requests = () =>
  world.emulator
    .requestLog()
    .filter((r) => r.instance === "node2" || r.principal?.includes("node2"));

async function waitFor(check: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

it("a probe that finds the IP elsewhere answers 7 at once and warms the standby in the background", async () => {
  expect((await world.run("start", params)).status).toBe(0);
  world.emulator.clearRequestLog();
  const probe = await world.run("monitor", params, {
    node: "node2",
    env: { OCF_RESKEY_CRM_meta_interval: "0" },
  });
  expect(probe.status).toBe(7);
  await waitFor(() => existsSync(ticket()), 15_000);
  const saved = JSON.parse(readFileSync(ticket(), "utf8")) as { validUntil: number };
  expect(saved.validUntil).toBeGreaterThan(Date.now() + 10 * 60_000);
  const ops = node2Requests()
    .map((r) => r.operation)
    .sort();
  // Read-only: metadata, a session, the VNIC's subnet. Nothing moved.
  expect(ops).toEqual([
    "Federation",
    "GetSubnet",
    "GetVnic",
    "Imds",
    "Imds",
    "Imds",
    "Imds",
    "Imds",
  ]);
  expect(world.holder(VIP)).toBe(world.vnicId("node1"));
});

it("a second probe right after finds the standby warm and starts nothing", async () => {
  world.emulator.clearRequestLog();
  const probe = await world.run("monitor", params, { node: "node2" });
  expect(probe.status).toBe(7);
  await new Promise((r) => setTimeout(r, 1500));
  expect(node2Requests()).toEqual([]);
});

it("the takeover on the warm standby makes only the requests that move the IP", async () => {
  world.emulator.clearRequestLog();
  const start = await world.run("start", params, { node: "node2" });
  expect(start.status).toBe(0);
  expect(world.holder(VIP)).toBe(world.vnicId("node2"));
  expect(node2Requests().map((r) => r.operation)).toEqual([
    "ListPrivateIps",
    "UpdatePrivateIp",
    "ListPrivateIps",
  ]);
});

it("warm_standby=false: a probe warms nothing", async () => {
  expect((await world.run("stop", params)).status).toBe(0); // node1's leftover local address
  world.emulator.clearRequestLog();
  const probe = await world.run("monitor", { ...params, warm_standby: "false" });
  expect(probe.status).toBe(7);
  await new Promise((r) => setTimeout(r, 1500));
  expect(world.emulator.requestLog()).toEqual([]);
});

it("a warm-up its deadline ends leaves no lock behind; a live lock keeps a second warm-up out", async () => {
  rmSync(dir(), { recursive: true, force: true });
  world.emulator.faults.add({ operation: "Imds", hang: true });
  try {
    const warm = await world.run("warm", params, {
      node: "node2",
      env: { OCF_RESKEY_CRM_meta_timeout: "2000" },
    });
    expect(warm.status).toBe(1);
    expect(existsSync(join(dir(), "warm.lock"))).toBe(false);
    expect(existsSync(ticket())).toBe(false);
  } finally {
    world.emulator.faults.clear();
  }
  // A lock another warm-up holds (fresh, private): this one makes no request at all.
  writeFileSync(join(dir(), "warm.lock"), "", { mode: 0o600 });
  world.emulator.clearRequestLog();
  const second = await world.run("warm", params, { node: "node2" });
  expect(second.status).toBe(0);
  expect(node2Requests()).toEqual([]);
  expect(statSync(join(dir(), "warm.lock")).isFile()).toBe(true);
  rmSync(join(dir(), "warm.lock"));
});
