import { stat } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AuthOptions, OciVnic, VnicInfo } from "../src/index.js";
import {
  type ConnectionRecorder,
  type Harness,
  recordConnections,
  startHarness,
} from "./harness.js";

// Every operation, IPv4 and IPv6, both auth modes, against the emulator with verified signatures.
let h: Harness;
let net: ConnectionRecorder;
beforeAll(async () => {
  net = recordConnections();
  h = await startHarness();
});
afterAll(async () => {
  net?.stop();
  await h?.stop();
});

describe.each([
  ["instance principal", "instance"],
  ["config file", "user"],
] as const)("with %s auth", (_label, principalKind) => {
  let node1: OciVnic;
  let node2: OciVnic;
  let vnic1: VnicInfo;
  let vnic2: VnicInfo;

  beforeAll(async () => {
    h.emu.reset();
    const auth: AuthOptions | undefined =
      principalKind === "user" ? await h.configAuth() : undefined;
    node1 = h.client("node1", auth ? { auth } : {});
    node2 = h.client("node2", auth ? { auth } : {});
    vnic1 = await node1.selectVnic({ ip: "192.0.2.100" });
    vnic2 = await node2.selectVnic({ mac: "02:00:17:00:00:12" });
    // Warm up: learn each VNIC's subnet once (cached per boot) so the counts below are steady.
    await node1.subnetFacts(vnic1);
    await node2.subnetFacts(vnic2);
  });
  beforeEach(() => {
    node1.resetRequestCounts();
    node2.resetRequestCounts();
  });

  it("selects the VNIC whose subnet contains the IP, with the metadata facts", () => {
    expect(vnic1).toMatchObject({
      privateIp: "192.0.2.11",
      subnetCidr: "192.0.2.0/24",
      isPrimaryVnic: true,
    });
    expect(vnic2.privateIp).toBe("192.0.2.12");
    expect(vnic1.vnicId).not.toBe(vnic2.vnicId);
  });

  it.each([
    ["IPv4", "192.0.2.100", 24],
    ["IPv6", "2001:db8:0:1::100", 64],
  ] as const)("%s: assign, check, move, refuse, release", async (_f, ip, prefix) => {
    const listOp = ip.includes(":") ? "ListIpv6s" : "ListPrivateIps";
    const createOp = ip.includes(":") ? "CreateIpv6" : "CreatePrivateIp";
    const updateOp = ip.includes(":") ? "UpdateIpv6" : "UpdatePrivateIp";

    expect(await node1.getAssignment(ip)).toBeUndefined();
    expect(node1.requestCounts()).toEqual({ [listOp]: 1 });
    expect(await node1.prefixLength(ip, vnic1)).toBe(prefix);

    node1.resetRequestCounts();
    const created = await node1.assign(ip, vnic1);
    expect(created).toMatchObject({
      action: "created",
      assignment: { vnicId: vnic1.vnicId, isPrimary: false },
    });
    expect(node1.requestCounts()).toEqual({ [listOp]: 2, [createOp]: 1 });

    node1.resetRequestCounts();
    expect(await node1.assign(ip, vnic1)).toMatchObject({ action: "none" });
    expect(node1.requestCounts()).toEqual({ [listOp]: 1 });

    const seenByNode2 = await node2.getAssignment(ip);
    expect(seenByNode2).toMatchObject({
      vnicId: vnic1.vnicId,
      isPrimary: false,
      family: ip.includes(":") ? 6 : 4,
    });

    node2.resetRequestCounts();
    const moved = await node2.assign(ip, vnic2);
    expect(moved).toMatchObject({ action: "moved", previousVnicId: vnic1.vnicId });
    expect(node2.requestCounts()).toEqual({ [listOp]: 2, [updateOp]: 1 });
    expect((await node1.getAssignment(ip))?.vnicId).toBe(vnic2.vnicId);

    // node1 must never delete node2's address.
    expect(await node1.release(ip, vnic1)).toEqual({ action: "not-ours", heldBy: vnic2.vnicId });
    expect((await node1.getAssignment(ip))?.vnicId).toBe(vnic2.vnicId);

    expect(await node2.release(ip, vnic2)).toEqual({ action: "deleted", heldBy: undefined });
    expect(await node1.getAssignment(ip)).toBeUndefined();
    expect(await node2.release(ip, vnic2)).toEqual({ action: "none", heldBy: undefined });
    const state = h.emu.state();
    const all = [...state.privateIps, ...state.ipv6s].map((p) => p.ipAddress);
    expect(all).not.toContain(ip);
  });

  it("reports and refuses primary IPs", async () => {
    expect(await node1.getAssignment("192.0.2.12")).toMatchObject({
      vnicId: vnic2.vnicId,
      isPrimary: true,
    });
    await expect(node1.assign("192.0.2.12", vnic1)).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(node1.release("192.0.2.11", vnic1)).rejects.toMatchObject({ code: "CONFLICT" });
    expect(h.emu.state().privateIps.find((p) => p.ipAddress === "192.0.2.12")?.vnicId).toBe(
      vnic2.vnicId,
    );
  });

  it("matches addresses exactly (192.0.2.10 is not 192.0.2.100)", async () => {
    await node1.assign("192.0.2.10", vnic1);
    expect(await node1.getAssignment("192.0.2.100")).toBeUndefined();
    expect((await node1.getAssignment("192.0.2.10"))?.vnicId).toBe(vnic1.vnicId);
    await node1.release("192.0.2.10", vnic1);
  });

  it("gives subnet facts so nobody guesses /24", async () => {
    const facts = await node1.subnetFacts(vnic1);
    expect(facts).toMatchObject({
      prefixLength: 24,
      ipv6PrefixLength: 64,
      ipv4Cidrs: ["192.0.2.0/24"],
    });
  });

  it("rejects bad input naming the parameter", async () => {
    await expect(node1.getAssignment("192.0.2.300")).rejects.toThrow(/invalid ip/);
    await expect(node1.assign("192.0.2.100", "not-a-vnic")).rejects.toThrow(/invalid vnic/);
    await expect(node1.assign("198.51.100.7", vnic1)).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(node1.selectVnic({ ip: "198.51.100.7" })).rejects.toMatchObject({
      code: "VNIC_NOT_FOUND",
    });
  });

  it("signs every request with the expected principal", () => {
    const api = h.emu.requestLog().filter((e) => e.operation !== "Imds");
    expect(api.length).toBeGreaterThan(10);
    for (const e of api) expect(e.signature).toBe("ok");
    const principals = new Set(
      api.filter((e) => e.operation !== "Federation").map((e) => e.principal?.split(":")[0]),
    );
    expect([...principals]).toEqual([principalKind]);
  });
});

describe("instance-principal session cache", () => {
  it("persists the session (0600) so a warm process makes no metadata or federation request", async () => {
    h.emu.reset();
    const cacheDir = join(h.dir, "warm");
    const cold = h.client("node1", { cacheDir });
    await cold.getAssignment("192.0.2.100");
    expect(cold.requestCounts()).toMatchObject({
      Imds: 5,
      Federation: 1,
      GetVnic: 1,
      ListPrivateIps: 1,
    });
    const session = await stat(join(cacheDir, "oci-vnic-session.json"));
    expect(session.mode & 0o777).toBe(0o600);

    h.emu.clearRequestLog();
    const warm = h.client("node1", { cacheDir });
    expect(await warm.getAssignment("192.0.2.100")).toBeUndefined();
    expect(warm.requestCounts()).toEqual({ ListPrivateIps: 1 });
    expect(h.emu.requestLog().map((e) => `${e.operation}:${e.signature}`)).toEqual([
      "ListPrivateIps:ok",
    ]);
  });
});

describe("network safety", () => {
  it("only ever connected to the emulator on loopback", () => {
    expect(net.connections.length).toBeGreaterThan(0);
    expect(new Set(net.connections)).toEqual(new Set([`127.0.0.1:${h.port}`]));
  });
});
