import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { collect, createWorld, VIP, type World } from "./helpers/world.js";

// Each fault: the right exit code, never a duplicate address, nothing left half done.

let world: World;
beforeAll(async () => {
  world = await createWorld();
}, 120_000);
afterAll(async () => {
  await world?.close();
});
afterEach(() => {
  for (const node of Object.values(world.nodes)) {
    for (const a of node.addresses("ens3").filter((x) => x.local === VIP)) {
      node.ns.ip("addr", "del", `${a.local}/${a.prefixlen}`, "dev", "ens3");
    }
    node.ns.exec("sh", ["-c", `rm -rf ${node.rscTmp}/*`]);
  }
  world.emulator.reset();
});

const params = { secondary_private_ip: VIP };
const TIMEOUT_MS = 6000;
const short = { env: { OCF_RESKEY_CRM_meta_timeout: String(TIMEOUT_MS) } };
const deep = { env: { ...short.env, OCF_CHECK_LEVEL: "10" } };
const local = (node = "node1") =>
  world.nodes[node]!.addresses("ens3").filter((a) => a.local === VIP);

async function started(node = "node1"): Promise<void> {
  const res = await world.run("start", params, { node });
  expect(res.status, res.stderr).toBe(0);
}

describe("fault matrix", () => {
  it("429 twice on create: start retries within its deadline and succeeds, one address", async () => {
    world.emulator.faults.add({
      operation: "CreatePrivateIp",
      status: 429,
      code: "TooManyRequests",
      retryAfterSeconds: 0,
      count: 2,
    });
    const res = await world.run("start", params, short);
    expect(res.status, res.stderr).toBe(0);
    expect(local()).toHaveLength(1);
    expect(world.holder(VIP)).toBe(world.vnicId("node1"));
  });

  it("503 four times in a row on reads: start keeps retrying within its deadline and succeeds", async () => {
    // Four failures in a row exhaust a fixed budget of four attempts; the action's own deadline
    // (15 s here) is the budget, so the fifth attempt goes through.
    world.emulator.faults.add({
      operation: "ListPrivateIps",
      status: 503,
      code: "ServiceUnavailable",
      count: 4,
    });
    const res = await world.run("start", params, {
      env: { OCF_RESKEY_CRM_meta_timeout: "15000" },
    });
    expect(res.status, res.stderr).toBe(0);
    expect(world.holder(VIP)).toBe(world.vnicId("node1"));
    const lists = world.emulator.requestLog().filter((r) => r.operation === "ListPrivateIps");
    expect(lists.filter((r) => r.status === 503)).toHaveLength(4);
    expect(local()).toHaveLength(1);
  });

  it("429 that never ends: monitor says error (1), never 'not running'", async () => {
    await started();
    world.emulator.faults.add({
      operation: "ListPrivateIps",
      status: 429,
      code: "TooManyRequests",
      retryAfterSeconds: 1,
    });
    const res = await world.run("monitor", params, deep);
    expect(res.status).toBe(1);
    expect(res.ms).toBeLessThan(TIMEOUT_MS + 2000);
  });

  it("500 on every create: start fails (1) and leaves nothing: no address, no IP in the cloud", async () => {
    world.emulator.faults.add({
      operation: "CreatePrivateIp",
      status: 500,
      code: "InternalServerError",
    });
    const res = await world.run("start", params, short);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/ocf-exit-reason:/);
    expect(local()).toHaveLength(0);
    expect(world.holder(VIP)).toBeUndefined();
  });

  it("an API that hangs: start answers 1 before Pacemaker's timeout, nothing half done", async () => {
    world.emulator.faults.add({ operation: "ListPrivateIps", hang: true });
    const res = await world.run("start", params, short);
    expect(res.status).toBe(1);
    expect(res.ms).toBeLessThan(TIMEOUT_MS + 2000);
    expect(local()).toHaveLength(0);
    expect(world.holder(VIP)).toBeUndefined();
  });

  it("a hanging metadata service: probes stay instant (7, no request); start and deep monitor answer 1 in time", async () => {
    world.emulator.faults.add({ operation: "Imds", hang: true });
    world.emulator.clearRequestLog();
    expect(
      (await world.run("monitor", params, { env: { OCF_RESKEY_CRM_meta_interval: "0" } })).status,
    ).toBe(7);
    expect(world.emulator.requestLog()).toHaveLength(0);
    const res = await world.run("start", params, short);
    expect(res.status).toBe(1);
    expect(res.ms).toBeLessThan(TIMEOUT_MS + 2000);
    expect(local()).toHaveLength(0);
  });

  it("federation refusing the certificate: start fails (1) with the reason, nothing done", async () => {
    world.emulator.faults.add({ operation: "Federation", status: 401, code: "NotAuthenticated" });
    const res = await world.run("start", params, short);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/ocf-exit-reason:.*(federat|authenticat)/i);
    expect(local()).toHaveLength(0);
    expect(world.holder(VIP)).toBeUndefined();
  });

  it("the IP held by another instance behind our back: deep monitor fails with the holder named", async () => {
    await started();
    await started("node2");
    expect(local("node1")).toHaveLength(1);
    const res = await world.run("monitor", params, deep);
    expect(res.status).toBe(1);
    expect(res.stderr).toContain(world.vnicId("node2"));
  });

  it("another instance's primary IP: start refuses (1), moves nothing", async () => {
    const res = await world.run("start", { secondary_private_ip: "192.0.2.12" }, short);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/ocf-exit-reason:.*primary/);
    expect(world.holder("192.0.2.12")).toBe(world.vnicId("node2"));
    expect(world.nodes.node1!.addresses("ens3").map((a) => a.local)).not.toContain("192.0.2.12");
  });

  it("an IP outside every subnet of the node: start says this node cannot host it (5)", async () => {
    const res = await world.run("start", { secondary_private_ip: "203.0.113.5" }, short);
    expect(res.status).toBe(5);
    expect(res.stderr).toMatch(/ocf-exit-reason:.*203\.0\.113\.5/);
  });

  it("eventual consistency after a move: start waits until reads show it, then monitors agree", async () => {
    await started("node2");
    // node2 dies (its address vanishes with it); node1 takes the IP over with a move.
    world.nodes.node2!.ns.ip("addr", "del", `${VIP}/24`, "dev", "ens3");
    world.emulator.setConsistencyDelay(1500);
    const res = await world.run("start", params, short);
    expect(res.status, res.stderr).toBe(0);
    expect(world.holder(VIP)).toBe(world.vnicId("node1"));
    expect(world.emulator.requestLog().some((r) => r.operation === "UpdatePrivateIp")).toBe(true);
    expect((await world.run("monitor", params, deep)).status).toBe(0);
    expect((await world.run("monitor", params, { ...deep, node: "node2" })).status).toBe(7);
  });

  it("a start killed half way (after the cloud assignment), then stop: nothing left anywhere", async () => {
    world.emulator.setConsistencyDelay(4000);
    const child = world.spawn("start", params);
    const done = collect(child);
    const deadline = Date.now() + 15_000;
    while (
      !world.emulator
        .requestLog()
        .some((r) => r.operation === "CreatePrivateIp" && r.status === 200)
    ) {
      if (Date.now() > deadline) throw new Error("start never reached CreatePrivateIp");
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill("SIGKILL");
    await done;
    world.emulator.setConsistencyDelay(0);
    const stop = await world.run("stop", { ...params, release_on_stop: "true" }, short);
    expect(stop.status, stop.stderr).toBe(0);
    expect(local()).toHaveLength(0);
    expect(world.holder(VIP)).toBeUndefined();
    expect((await world.run("monitor", params)).status).toBe(7);
  });
});
