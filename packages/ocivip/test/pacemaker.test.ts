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
