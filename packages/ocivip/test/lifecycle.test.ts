import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorld, VIP, type World } from "./helpers/world.js";

let world: World;
beforeAll(async () => {
  world = await createWorld({ nodes: { node1: undefined } });
}, 120_000);
afterAll(async () => {
  await world?.close();
});

const params = { secondary_private_ip: VIP };

/** Env that makes the agent process list the built-in modules it loaded (see the fixture). */
function builtinsReport(name: string): { env: Record<string, string>; read(): string[] } {
  const file = join(world.nodes.node1!.rscTmp, `${name}.builtins.json`);
  const preload = fileURLToPath(new URL("./fixtures/report-builtins.cjs", import.meta.url));
  return {
    env: { NODE_OPTIONS: `--require ${preload}`, OCFKIT_TEST_BUILTINS_REPORT: file },
    read: () => JSON.parse(readFileSync(file, "utf8")) as string[],
  };
}
const undici = (modules: string[]) => modules.filter((m) => m.includes("undici"));

/**
 * tcpdump on the veth peer of node1's ens3 (same namespace) until `packets` ARP packets were seen
 * (or 10 s passed); resolves once it listens, with a function that waits for its lines.
 */
async function captureArp(packets: number): Promise<() => Promise<string[]>> {
  const child = spawn(
    "ip",
    [
      "netns",
      "exec",
      world.nodes.node1!.ns.name,
      "tcpdump",
      "-i",
      "ens3-p",
      "-e",
      "-n",
      "-l",
    ].concat(["-c", String(packets), "arp"]),
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
  });
  const closed = new Promise<void>((r) => child.once("close", () => r()));
  const guard = setTimeout(() => child.kill("SIGINT"), 10_000);
  await new Promise<void>((resolve, reject) => {
    child.stderr.on("data", (d: Buffer) => {
      if (d.toString().includes("listening on")) resolve();
    });
    child.once("error", reject);
  });
  return async () => {
    await closed;
    clearTimeout(guard);
    return out.split("\n").filter((l) => l.trim() !== "");
  };
}
const vipOnEns3 = () => world.nodes.node1!.addresses("ens3").filter((a) => a.local === VIP);

describe("start / monitor / stop against the emulator, in a namespace", () => {
  it("probe before start: not running, instantly, without any request", async () => {
    world.emulator.clearRequestLog();
    const probe = await world.run("monitor", params, {
      env: { OCF_RESKEY_CRM_meta_interval: "0" },
    });
    expect(probe.status).toBe(7);
    expect(world.emulator.requestLog()).toHaveLength(0);
  });

  it("start assigns the IP to our VNIC and adds it on the interface with the VNIC's MAC, prefix from the subnet", async () => {
    const report = builtinsReport("start");
    const res = await world.run("start", params, { env: report.env });
    expect(res.stderr).not.toContain("ocf-exit-reason");
    expect(res.status).toBe(0);
    expect(world.holder(VIP)).toBe(world.vnicId("node1"));
    expect(vipOnEns3()).toEqual([
      expect.objectContaining({ local: VIP, prefixlen: 24, label: "ens3:0" }),
    ]);
    expect(
      world.emulator.requestLog().every((r) => r.signature === "ok" || r.signature === "n/a"),
    ).toBe(true);
    // Metadata, federation and API requests all went through Node's http: fetch never loaded.
    expect(report.read()).toContain("NativeModule http");
    expect(undici(report.read())).toEqual([]);
  });

  it("start again is idempotent", async () => {
    expect((await world.run("start", params)).status).toBe(0);
    expect(vipOnEns3()).toHaveLength(1);
  });

  it("monitor depth 0 right after start: 0, no request; depth 10: exactly one API request", async () => {
    world.emulator.clearRequestLog();
    expect((await world.run("monitor", params)).status).toBe(0);
    expect(world.emulator.requestLog()).toHaveLength(0);
    const report = builtinsReport("deep");
    const deep = await world.run("monitor", params, {
      env: { OCF_CHECK_LEVEL: "10", ...report.env },
    });
    expect(deep.status).toBe(0);
    const log = world.emulator.requestLog();
    expect(log.map((r) => r.operation)).toEqual(["ListPrivateIps"]);
    expect(log[0]!.signature).toBe("ok");
    expect(undici(report.read())).toEqual([]);
  });

  it("stop removes the address and leaves the IP on our VNIC, same OCID; a new start keeps it", async () => {
    const before = world.emulator.state().privateIps.find((p) => p.ipAddress === VIP)!;
    const res = await world.run("stop", params);
    expect(res.status).toBe(0);
    expect(vipOnEns3()).toHaveLength(0);
    expect(world.holder(VIP)).toBe(world.vnicId("node1"));
    expect((await world.run("monitor", params)).status).toBe(7);
    expect((await world.run("stop", params)).status).toBe(0);
    expect((await world.run("start", params)).status).toBe(0);
    const after = world.emulator.state().privateIps.find((p) => p.ipAddress === VIP)!;
    expect(after.id).toBe(before.id);
    expect((await world.run("monitor", params)).status).toBe(0);
  });

  it("stop with release_on_stop=true also deletes the IP in the cloud", async () => {
    const res = await world.run("stop", { ...params, release_on_stop: "true" });
    expect(res.status).toBe(0);
    expect(vipOnEns3()).toHaveLength(0);
    expect(world.holder(VIP)).toBeUndefined();
    expect((await world.run("stop", { ...params, release_on_stop: "true" })).status).toBe(0);
  });

  it("start announces the address on the link (the sender runs in the background)", async () => {
    const lines = await captureArp(2);
    expect((await world.run("start", params)).status).toBe(0);
    const arp = await lines();
    const mac = world.nodes.node1!.ns.ip("-j", "link", "show", "ens3");
    const ownMac = (JSON.parse(mac) as { address: string }[])[0]!.address;
    expect(arp.filter((l) => l.includes(ownMac) && l.includes(VIP))).toHaveLength(2);
    expect((await world.run("stop", params)).status).toBe(0);
  });
});
