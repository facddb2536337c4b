import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { OciVnic, VnicInfo } from "../src/index.js";
import {
  type ConnectionRecorder,
  type Harness,
  recordConnections,
  startHarness,
} from "./harness.js";

// The fault matrix: each fault is injected in the emulator, over real HTTP, with the real SDK.
let h: Harness;
let net: ConnectionRecorder;
let warm: OciVnic;
let vnic1: VnicInfo;
const warmDir = () => join(h.dir, "warm-node1");

beforeAll(async () => {
  net = recordConnections();
  h = await startHarness();
  warm = h.client("node1", { cacheDir: warmDir() });
  vnic1 = await warm.selectVnic({ ip: "192.0.2.100" });
  await warm.subnetFacts(vnic1);
});
afterAll(async () => {
  net?.stop();
  await h?.stop();
});
beforeEach(() => {
  h.emu.faults.clear();
  h.emu.setConsistencyDelay(0);
  warm.resetRequestCounts();
});

const elapsed = async (work: () => Promise<unknown>): Promise<[number, unknown]> => {
  const started = Date.now();
  try {
    await work();
    return [Date.now() - started, undefined];
  } catch (e) {
    return [Date.now() - started, e];
  }
};

describe("API faults", () => {
  it("429: waits as Retry-After says, then succeeds", async () => {
    h.emu.faults.add({
      operation: "ListPrivateIps",
      status: 429,
      code: "TooManyRequests",
      retryAfterSeconds: 1,
      count: 1,
    });
    const [ms, err] = await elapsed(() => warm.getAssignment("192.0.2.100"));
    expect(err).toBeUndefined();
    expect(ms).toBeGreaterThanOrEqual(950);
    expect(warm.requestCounts()).toEqual({ ListPrivateIps: 2 });
  });

  it("429 with a Retry-After past the deadline: THROTTLED at once, not a late TIMEOUT", async () => {
    h.emu.faults.add({
      operation: "ListPrivateIps",
      status: 429,
      code: "TooManyRequests",
      retryAfterSeconds: 30,
    });
    const [ms, err] = await elapsed(() => warm.getAssignment("192.0.2.100", { timeoutMs: 2000 }));
    expect(err).toMatchObject({ code: "THROTTLED", retryAfterMs: 30_000, status: 429 });
    expect((err as { opcRequestId?: string }).opcRequestId).toBeTruthy();
    expect(ms).toBeLessThan(1500);
  });

  it("500 once on a read: retried", async () => {
    h.emu.faults.add({
      operation: "ListPrivateIps",
      status: 500,
      code: "InternalServerError",
      count: 1,
    });
    expect(await warm.getAssignment("192.0.2.100")).toBeUndefined();
    expect(warm.requestCounts()).toEqual({ ListPrivateIps: 2 });
  });

  it("503 that persists: SERVICE_UNAVAILABLE after the retries, with the opc-request-id", async () => {
    h.emu.faults.add({ operation: "ListPrivateIps", status: 503, code: "ServiceUnavailable" });
    await expect(warm.getAssignment("192.0.2.100")).rejects.toMatchObject({
      code: "SERVICE_UNAVAILABLE",
      status: 503,
      opcRequestId: expect.any(String),
    });
    expect(warm.requestCounts()).toEqual({ ListPrivateIps: 4 });
  });

  it("500 on a create: re-reads, then creates exactly once", async () => {
    h.emu.faults.add({
      operation: "CreatePrivateIp",
      status: 500,
      code: "InternalServerError",
      count: 1,
    });
    expect(await warm.assign("192.0.2.100", vnic1)).toMatchObject({ action: "created" });
    expect(h.emu.state().privateIps.filter((p) => p.ipAddress === "192.0.2.100")).toHaveLength(1);
    expect(warm.requestCounts().CreatePrivateIp).toBe(2);
    await warm.release("192.0.2.100", vnic1);
  });

  it("connection reset on a read: retried", async () => {
    h.emu.faults.add({ operation: "ListPrivateIps", reset: true, count: 1 });
    expect(await warm.getAssignment("192.0.2.100")).toBeUndefined();
    expect(warm.requestCounts()).toEqual({ ListPrivateIps: 2 });
  });

  it("hanging API with a 2 s deadline: TIMEOUT within about 2 s", async () => {
    h.emu.faults.add({ operation: "ListPrivateIps", hang: true });
    const [ms, err] = await elapsed(() => warm.assign("192.0.2.100", vnic1, { timeoutMs: 2000 }));
    expect(err).toMatchObject({ code: "TIMEOUT" });
    expect(ms).toBeGreaterThanOrEqual(1900);
    expect(ms).toBeLessThan(2900); // 2 s deadline; slack for a loaded CI machine
  });

  it("caller abort: ABORTED promptly", async () => {
    h.emu.faults.add({ operation: "ListPrivateIps", hang: true });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const [ms, err] = await elapsed(() => warm.getAssignment("192.0.2.100", { signal: ac.signal }));
    expect(err).toMatchObject({ code: "ABORTED" });
    expect(ms).toBeLessThan(1000);
  });

  it("limit exceeded and conflicts map to stable codes", async () => {
    await expect(warm.assign("192.0.2.1", vnic1)).rejects.toMatchObject({
      code: "INVALID_PARAMETER",
      status: 400,
    });
    h.emu.faults.add({
      operation: "CreatePrivateIp",
      status: 400,
      code: "LimitExceeded",
      count: 1,
    });
    await expect(warm.assign("192.0.2.100", vnic1)).rejects.toMatchObject({
      code: "LIMIT_EXCEEDED",
    });
  });
});

describe("eventual consistency", () => {
  it("assign returns only once the new state is visible to reads", async () => {
    h.emu.setConsistencyDelay(600);
    const [ms, err] = await elapsed(() => warm.assign("192.0.2.100", vnic1));
    expect(err).toBeUndefined();
    expect(ms).toBeGreaterThanOrEqual(550);
    expect(warm.requestCounts().ListPrivateIps).toBeGreaterThan(2);
    expect((await warm.getAssignment("192.0.2.100"))?.vnicId).toBe(vnic1.vnicId);
    const node2 = h.client("node2");
    const vnic2 = await node2.selectVnic({ ip: "192.0.2.100" });
    expect(await node2.assign("192.0.2.100", vnic2)).toMatchObject({ action: "moved" });
    expect((await warm.getAssignment("192.0.2.100"))?.vnicId).toBe(vnic2.vnicId);
    expect(await node2.release("192.0.2.100", vnic2)).toMatchObject({ action: "deleted" });
    expect(await warm.getAssignment("192.0.2.100")).toBeUndefined();
  });
});

describe("metadata and federation faults", () => {
  it("metadata service down: METADATA_UNAVAILABLE", async () => {
    h.emu.faults.add({ operation: "Imds", status: 500, code: "InternalError" });
    await expect(h.client("node1").selectVnic({ ip: "192.0.2.100" })).rejects.toMatchObject({
      code: "METADATA_UNAVAILABLE",
    });
  });

  it("metadata service hanging with a 2 s deadline: TIMEOUT within about 2 s", async () => {
    h.emu.faults.add({ operation: "Imds", hang: true });
    const client = h.client("node1", { metadataRetry: { attemptTimeoutMs: 5000 } });
    const [ms, err] = await elapsed(() =>
      client.selectVnic({ ip: "192.0.2.100" }, { timeoutMs: 2000 }),
    );
    expect(err).toMatchObject({ code: "TIMEOUT" });
    expect(ms).toBeLessThan(2900); // 2 s deadline; slack for a loaded CI machine
  });

  it("federation failing: FEDERATION_FAILED, nothing sent to the API", async () => {
    h.emu.faults.add({ operation: "Federation", status: 400, code: "InvalidParameter" });
    const client = h.client("node1");
    await expect(client.getAssignment("192.0.2.100")).rejects.toMatchObject({
      code: "FEDERATION_FAILED",
    });
    expect(client.requestCounts().ListPrivateIps).toBeUndefined();
  });

  it("federation answering 500 once: retried by us, the SDK sees one answer", async () => {
    h.emu.faults.add({
      operation: "Federation",
      status: 500,
      code: "InternalServerError",
      count: 1,
    });
    const client = h.client("node1");
    expect(await client.getAssignment("192.0.2.100")).toBeUndefined();
    expect(client.requestCounts().Federation).toBe(2);
  });

  it("federation hanging with a 2 s deadline: TIMEOUT within about 2 s", async () => {
    h.emu.faults.add({ operation: "Federation", hang: true });
    const [ms, err] = await elapsed(() =>
      h.client("node1").getAssignment("192.0.2.100", { timeoutMs: 2000 }),
    );
    expect(err).toMatchObject({ code: "TIMEOUT" });
    expect(ms).toBeLessThan(2900); // 2 s deadline; slack for a loaded CI machine
  });

  it("expired token (the service says 401): federates again once and succeeds", async () => {
    const file = join(warmDir(), "oci-vnic-session.json");
    const saved = JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
    // A token the service no longer accepts, which our clock still believes valid.
    const bad = { ...saved, token: `${String(saved.token).slice(0, -4)}AAAA` };
    await writeFile(file, JSON.stringify(bad), { mode: 0o600 });
    const client = h.client("node1", { cacheDir: warmDir() });
    expect(await client.getAssignment("192.0.2.100")).toBeUndefined();
    expect(client.requestCounts()).toMatchObject({ ListPrivateIps: 2, Federation: 1 });
    const renewed = JSON.parse(await readFile(file, "utf8")) as { token: string };
    expect(renewed.token).not.toBe(bad.token);
  });
});

describe("network safety", () => {
  it("only ever connected to the emulator on loopback", () => {
    expect(new Set(net.connections)).toEqual(new Set([`127.0.0.1:${h.port}`]));
  });
});
