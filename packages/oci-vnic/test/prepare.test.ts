import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { isOciVnicError } from "../src/index.js";
import { type Harness, startHarness } from "./harness.js";

// prepare(): a standby node makes everything ready, so its takeover only moves the IP.
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.stop());
beforeEach(() => h.emu.reset());

const VIP = "192.0.2.100";

it("cold: fetches metadata, subnet facts and a session, and changes nothing in the cloud", async () => {
  const before = h.emu.state();
  const node2 = h.client("node2");
  const started = Date.now();
  const ready = await node2.prepare(VIP);
  expect(ready.vnic.privateIp).toBe("192.0.2.12");
  expect(ready.subnet.prefixLength).toBe(24);
  // The emulator's sessions live 1200 s; we renew a margin before that.
  expect(ready.credentialsValidUntil).toBeGreaterThan(started + 1_000_000);
  expect(ready.credentialsValidUntil).toBeLessThan(started + 1_200_000);
  expect(node2.requestCounts()).toEqual({ Imds: 5, Federation: 1, GetVnic: 1, GetSubnet: 1 });
  const writes = h.emu
    .requestLog()
    .filter((r) => r.method !== "GET" && r.operation !== "Federation");
  expect(writes).toEqual([]);
  expect(h.emu.state()).toEqual(before);
});

it("a new process on the prepared cache moves the IP with only the calls that move it", async () => {
  const cacheDir = join(h.dir, "standby");
  const node1 = h.client("node1");
  await node1.assign(VIP, await node1.selectVnic({ ip: VIP }));
  await h.client("node2", { cacheDir }).prepare(VIP);

  // What the takeover (a new agent process) costs on the prepared node.
  const takeover = h.client("node2", { cacheDir });
  const vnic = await takeover.selectVnic({ ip: VIP });
  const result = await takeover.assign(VIP, vnic);
  expect(result.action).toBe("moved");
  expect(takeover.requestCounts()).toEqual({ ListPrivateIps: 2, UpdatePrivateIp: 1 });
  expect((await takeover.getAssignment(VIP))?.vnicId).toBe(vnic.vnicId);
});

it("warm: makes no request at all", async () => {
  const node2 = h.client("node2");
  await node2.prepare(VIP);
  node2.resetRequestCounts();
  const again = await node2.prepare(VIP);
  expect(again.vnic.privateIp).toBe("192.0.2.12");
  expect(node2.requestCounts()).toEqual({});
});

it("config-file credentials have no renewal time; a VNIC selector is honoured", async () => {
  const node2 = h.client("node2", { auth: await h.configAuth() });
  const ready = await node2.prepare(VIP, { vnic: { mac: "02:00:17:00:00:12" } });
  expect(ready.vnic.macAddress).toBe("02:00:17:00:00:12");
  expect(ready.credentialsValidUntil).toBeUndefined();
  expect(node2.requestCounts().Federation).toBeUndefined();
});

// The metadata shows each subnet's first IPv4 block only; a subnet may have more (a VIP may sit in
// one), so before failing the VNIC's subnet is read from the API: reads only, nothing changed.
it("an IP outside every subnet of ours is a clear error, after reading only", async () => {
  const node2 = h.client("node2");
  const before = h.emu.state();
  const error = await node2.prepare("198.51.100.7").catch((e: unknown) => e);
  expect(isOciVnicError(error, "VNIC_NOT_FOUND")).toBe(true);
  expect((error as Error).message).toMatch(/198\.51\.100\.7/);
  expect(Object.keys(node2.requestCounts()).sort()).toEqual([
    "Federation",
    "GetSubnet",
    "GetVnic",
    "Imds",
  ]);
  expect(h.emu.state()).toEqual(before);
});
