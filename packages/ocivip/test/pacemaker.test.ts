import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type PacemakerLab,
  type SingleNodeCluster,
  startPacemakerLab,
} from "./helpers/pacemaker.js";
import { VIP, type World } from "./helpers/world.js";

// A real Pacemaker drives the installed agent: start, monitor, a failure monitor detects, recovery,
// and stop. The node runs in node1's namespace (its own mount and UTS namespaces too), the agent
// reaches the emulator through the namespace's bridge.

let lab: PacemakerLab;
let provider: string;
let world: World;
let cluster: SingleNodeCluster | undefined;

beforeAll(async () => {
  lab = await startPacemakerLab("ocfkit-test");
  ({ provider, world, cluster } = lab);
}, 180_000);
afterAll(async () => {
  await lab?.close();
});

const vipHere = () => world.nodes.node1!.addresses("ens3").some((a) => a.local === VIP);
const crmMon = async () => (await cluster!.exec("crm_mon", ["-1", "-r", "--show-detail"])).stdout;

describe("a real single-node Pacemaker with ocf:<provider>:ocivip", () => {
  it("starts the resource created with the tutorial's pcs line (provider changed)", async () => {
    const endpoints = Object.entries(world.endpoints("node1")).map(([k, v]) => `${k}=${v}`);
    const res = await cluster!.exec("pcs", [
      "resource",
      "create",
      "OCIVIP",
      `ocf:${provider}:ocivip`,
      `secondary_private_ip=${VIP}`,
      "cidr_netmask=24",
      ...endpoints,
      "op",
      "monitor",
      "timeout=30s",
      "interval=2s",
      "OCF_CHECK_LEVEL=0",
    ]);
    expect(res.status, res.stderr).toBe(0);
    await cluster!.waitFor(
      "OCIVIP started",
      async () => /OCIVIP.*Started n1/.test(await crmMon()) && vipHere(),
    );
    expect(world.holder(VIP)).toBe(world.vnicId("node1"));
  }, 120_000);

  it("detects a lost address with monitor and recovers it", async () => {
    world.nodes.node1!.ns.ip("addr", "del", `${VIP}/24`, "dev", "ens3");
    await cluster!.waitFor("a failed monitor", async () =>
      /OCIVIP_monitor_2000.*not running/i.test(await crmMon()),
    );
    await cluster!.waitFor(
      "recovery",
      async () => vipHere() && /OCIVIP.*Started n1/.test(await crmMon()),
    );
    const fails = await cluster!.exec("crm_failcount", ["--query", "-r", "OCIVIP", "-N", "n1"]);
    expect(fails.stdout).toMatch(/value=[1-9]/);
  }, 120_000);

  // Pacemaker's controller logs "Result of <action> operation for <rsc> on <node>: <result>".
  const results = (action: string) =>
    cluster!.log().match(new RegExp(`Result of ${action} operation for OCIVIP on n1`, "g"))
      ?.length ?? 0;

  /** Samples the address every 20 ms until stopped; resolves to the number of samples without it. */
  function sampleVip(): { stop(): Promise<{ samples: number; missing: number }> } {
    let running = true;
    let samples = 0;
    let missing = 0;
    const loop = (async () => {
      while (running) {
        samples++;
        try {
          if (!vipHere()) missing++;
        } catch {
          missing++; // the namespace could not be read: count it against the VIP
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    return {
      async stop() {
        running = false;
        await loop;
        return { samples, missing };
      },
    };
  }

  it("applies a reloadable parameter (cloud_check_interval) with reload-agent: no stop, no start, the VIP never drops", async () => {
    const starts = results("start");
    const stops = results("stop");
    const reloads = results("reload-agent");
    const sampler = sampleVip();
    try {
      const res = await cluster!.exec("pcs", [
        "resource",
        "update",
        "OCIVIP",
        "cloud_check_interval=30",
      ]);
      expect(res.status, res.stderr).toBe(0);
      await cluster!.waitFor("reload-agent", async () => results("reload-agent") > reloads);
      // Let the monitor that follows the reload run too.
      await new Promise((r) => setTimeout(r, 3_000));
    } finally {
      await sampler.stop();
    }
    const { samples, missing } = await sampler.stop();
    expect(samples).toBeGreaterThan(20);
    expect(missing).toBe(0);
    expect(cluster!.log()).toMatch(/Result of reload-agent operation for OCIVIP on n1: ok/);
    expect(results("stop")).toBe(stops);
    expect(results("start")).toBe(starts);
    expect(results("reload")).toBe(0);
    expect(await crmMon()).toMatch(/OCIVIP.*Started n1/);
    const params = await cluster!.exec("crm_resource", [
      "--resource",
      "OCIVIP",
      "--get-parameter",
      "cloud_check_interval",
    ]);
    expect(params.stdout.trim()).toBe("30");
  }, 120_000);

  it("restarts for a parameter that is not reloadable (cidr_netmask)", async () => {
    const starts = results("start");
    const stops = results("stop");
    const reloads = results("reload-agent");
    const res = await cluster!.exec("pcs", ["resource", "update", "OCIVIP", "cidr_netmask=25"]);
    expect(res.status, res.stderr).toBe(0);
    await cluster!.waitFor(
      "a restart with the new prefix",
      async () =>
        results("start") > starts &&
        world.nodes.node1!.addresses("ens3").some((a) => a.local === VIP && a.prefixlen === 25),
    );
    expect(results("stop")).toBeGreaterThan(stops);
    expect(results("reload-agent")).toBe(reloads);
  }, 120_000);

  it("stops it: address gone, IP left on n1's VNIC in the cloud (release_on_stop=false)", async () => {
    const res = await cluster!.exec("crm_resource", [
      "--resource",
      "OCIVIP",
      "--set-parameter",
      "target-role",
      "--meta",
      "--parameter-value",
      "Stopped",
    ]);
    expect(res.status, res.stderr).toBe(0);
    await cluster!.waitFor(
      "OCIVIP stopped",
      async () => /OCIVIP.*Stopped/.test(await crmMon()) && !vipHere(),
    );
    expect(world.holder(VIP)).toBe(world.vnicId("node1"));
  }, 120_000);
});
