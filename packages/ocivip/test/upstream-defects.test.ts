import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { addNic, addressesOf, createTestNetns, type TestNetns } from "./helpers/netns.js";
import { createUpstreamWorld, runUpstream, type UpstreamWorld } from "./helpers/upstream.js";
import { createWorld, VIP, type World } from "./helpers/world.js";

// Each defect: the same situation, first with the shell agent (heartbeat:ocivip with a fake `oci`
// CLI and curl shim, in its own namespace), showing the defect; then with ours against the emulator.

const NODE1_MAC = "02:00:17:00:00:11";
const upstreamVnics = [
  {
    vnicId: "ocid1.vnic.node1",
    macAddr: NODE1_MAC,
    privateIp: "192.0.2.11",
    subnetCidrBlock: "192.0.2.0/24",
  },
];

let up: UpstreamWorld;
let upNs: TestNetns;
let ours: World;

beforeAll(async () => {
  ours = await createWorld();
}, 120_000);
afterAll(async () => {
  await ours?.close();
});

function freshUpstream(
  vnics = upstreamVnics,
  nics = [{ name: "ens3", mac: NODE1_MAC, address: "192.0.2.11/24", defaultRoute: true }],
) {
  up = createUpstreamWorld(vnics);
  upNs = createTestNetns();
  for (const nic of nics) addNic(upNs, nic);
}
afterEach(async () => {
  up?.remove();
  upNs?.remove();
  // Back to a clean node1 for ours: no floating address, emulator state reset.
  for (const node of Object.values(ours.nodes)) {
    for (const a of node.addresses("ens3")) {
      if (!a.local.endsWith(".11") && !a.local.endsWith(".12") && !a.local.startsWith("fe80")) {
        node.ns.ip("addr", "del", `${a.local}/${a.prefixlen}`, "dev", "ens3");
      }
    }
    node.ns.exec("sh", ["-c", `rm -rf ${node.rscTmp}/*`]);
  }
  ours.emulator.reset();
});

const vipOn = (ns: TestNetns, ip = VIP) => addressesOf(ns, "ens3").filter((a) => a.local === ip);

describe("upstream defects, each shown on heartbeat:ocivip and fixed in ocivip", () => {
  it("matches the IP as a substring: 192.0.2.10 'runs' when 192.0.2.100 is assigned", async () => {
    freshUpstream();
    up.assign("192.0.2.100", "ocid1.vnic.node1");
    expect(runUpstream(up, upNs, "monitor", { secondary_private_ip: "192.0.2.10" }).status).toBe(0);
    // Its start then believes the IP is up and does nothing at all.
    expect(runUpstream(up, upNs, "start", { secondary_private_ip: "192.0.2.10" }).status).toBe(0);
    expect(up.assignments()["192.0.2.10"]).toBeUndefined();
    expect(vipOn(upNs, "192.0.2.10")).toHaveLength(0);

    expect((await ours.run("start", { secondary_private_ip: VIP })).status).toBe(0);
    const deep = { env: { OCF_CHECK_LEVEL: "10" } };
    expect((await ours.run("monitor", { secondary_private_ip: "192.0.2.10" }, deep)).status).toBe(
      7,
    );
    // Even with .10 configured locally, the cloud check matches exactly: .100 is not .10.
    ours.nodes.node1!.ns.ip("addr", "add", "192.0.2.10/24", "dev", "ens3");
    const res = await ours.run("monitor", { secondary_private_ip: "192.0.2.10" }, deep);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/ocf-exit-reason:.*192\.0\.2\.10.*no VNIC/);
  });

  it("turns an API error into 'not running' (false failover); ours says error (1)", async () => {
    freshUpstream();
    up.assign(VIP, "ocid1.vnic.node1");
    upNs.ip("addr", "add", `${VIP}/24`, "dev", "ens3");
    up.setFailing(true);
    expect(runUpstream(up, upNs, "monitor", { secondary_private_ip: VIP }).status).toBe(7);

    expect((await ours.run("start", { secondary_private_ip: VIP })).status).toBe(0);
    ours.emulator.faults.add({
      operation: "ListPrivateIps",
      status: 500,
      code: "InternalServerError",
    });
    const res = await ours.run(
      "monitor",
      { secondary_private_ip: VIP },
      { env: { OCF_CHECK_LEVEL: "10", OCF_RESKEY_CRM_meta_timeout: "8000" } },
    );
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/ocf-exit-reason:.*(500|Internal|unavailable)/i);
  });

  it("stop leaves the local address when the cloud already moved the IP; ours removes it", async () => {
    freshUpstream();
    up.assign(VIP, "ocid1.vnic.node1");
    upNs.ip("addr", "add", `${VIP}/24`, "dev", "ens3", "label", "ens3:0");
    up.assign(VIP, "ocid1.vnic.node2");
    expect(runUpstream(up, upNs, "stop", { secondary_private_ip: VIP }).status).toBe(0);
    expect(vipOn(upNs)).toHaveLength(1);

    expect((await ours.run("start", { secondary_private_ip: VIP })).status).toBe(0);
    expect((await ours.run("start", { secondary_private_ip: VIP }, { node: "node2" })).status).toBe(
      0,
    );
    expect(ours.holder(VIP)).toBe(ours.vnicId("node2"));
    expect((await ours.run("stop", { secondary_private_ip: VIP })).status).toBe(0);
    expect(vipOn(ours.nodes.node1!.ns)).toHaveLength(0);
    expect(ours.holder(VIP)).toBe(ours.vnicId("node2"));
  });

  it("start fails when the address is already configured; ours is idempotent", async () => {
    freshUpstream();
    upNs.ip("addr", "add", `${VIP}/24`, "dev", "ens3", "label", "ens3:0");
    expect(runUpstream(up, upNs, "start", { secondary_private_ip: VIP }).status).toBe(7);

    ours.nodes.node1!.ns.ip("addr", "add", `${VIP}/24`, "dev", "ens3", "label", "ens3:0");
    expect((await ours.run("start", { secondary_private_ip: VIP })).status).toBe(0);
    expect(vipOn(ours.nodes.node1!.ns)).toHaveLength(1);
    expect(ours.holder(VIP)).toBe(ours.vnicId("node1"));
  });

  it("monitor never checks the host: 'running' without the address; ours says not running", async () => {
    freshUpstream();
    up.assign(VIP, "ocid1.vnic.node1");
    expect(runUpstream(up, upNs, "monitor", { secondary_private_ip: VIP }).status).toBe(0);

    expect((await ours.run("start", { secondary_private_ip: VIP })).status).toBe(0);
    ours.nodes.node1!.ns.ip("addr", "del", `${VIP}/24`, "dev", "ens3");
    ours.emulator.clearRequestLog();
    expect((await ours.run("monitor", { secondary_private_ip: VIP })).status).toBe(7);
    expect(ours.emulator.requestLog()).toHaveLength(0);
  });

  it("sleeps api_delay (3 s) after every call; ours accepts api_delay and confirms with the API instead", async () => {
    freshUpstream();
    const upStart = runUpstream(up, upNs, "start", { secondary_private_ip: VIP });
    expect(upStart.status).toBe(0);
    expect(upStart.ms).toBeGreaterThanOrEqual(3000);

    // A 60 s api_delay inside a 15 s timeout: had ours slept, it would have missed its deadline.
    const res = await ours.run(
      "start",
      { secondary_private_ip: VIP, api_delay: "60" },
      { env: { OCF_RESKEY_CRM_meta_timeout: "15000" } },
    );
    expect(res.status).toBe(0);
    expect(ours.holder(VIP)).toBe(ours.vnicId("node1"));
  });

  it("builds a label over 15 characters and fails start; ours adds the address without a label", async () => {
    const longDev = "ens1234567890ab";
    freshUpstream(upstreamVnics, [
      { name: longDev, mac: NODE1_MAC, address: "192.0.2.11/24", defaultRoute: true },
    ]);
    expect(runUpstream(up, upNs, "start", { secondary_private_ip: VIP }).status).toBe(7);
    // ... leaving the IP assigned in the cloud and nothing on the host.
    expect(up.assignments()[VIP]).toBe("ocid1.vnic.node1");
    expect(addressesOf(upNs, longDev).filter((a) => a.local === VIP)).toHaveLength(0);

    const node = ours.nodes.node1!;
    node.ns.ip("link", "set", "ens3", "name", longDev);
    try {
      const res = await ours.run("start", { secondary_private_ip: VIP });
      expect(res.status).toBe(0);
      expect(res.stderr).toMatch(/exceeds 15 characters/);
      expect(addressesOf(node.ns, longDev).filter((a) => a.local === VIP)).toEqual([
        expect.objectContaining({ label: longDev }),
      ]);
      expect((await ours.run("stop", { secondary_private_ip: VIP })).status).toBe(0);
    } finally {
      node.ns.ip("link", "set", longDev, "name", "ens3");
    }
  });

  it("waits forever on a hanging metadata service (curl without timeout); ours answers in time", async () => {
    freshUpstream();
    up.assign(VIP, "ocid1.vnic.node1");
    up.setMetadataHanging(true);
    const hung = runUpstream(up, upNs, "monitor", { secondary_private_ip: VIP }, 4000);
    expect(hung.status).toBe(-1); // still running after 4 s: killed, as Pacemaker's timeout would

    expect((await ours.run("start", { secondary_private_ip: VIP })).status).toBe(0);
    ours.nodes.node1!.ns.exec("sh", ["-c", `rm -rf ${ours.nodes.node1!.rscTmp}/ocfkit-ocivip`]);
    ours.emulator.faults.add({ operation: "Imds", hang: true });
    const res = await ours.run(
      "monitor",
      { secondary_private_ip: VIP },
      { env: { OCF_CHECK_LEVEL: "10", OCF_RESKEY_CRM_meta_timeout: "4000" } },
    );
    expect(res.status).toBe(1);
    expect(res.ms).toBeLessThan(4000 + 2000);
  });

  it("authenticates with instance principals only; ours also takes an API key config file", async () => {
    freshUpstream();
    up.assign(VIP, "ocid1.vnic.node1");
    runUpstream(up, upNs, "monitor", { secondary_private_ip: VIP, auth: "config_file" });
    expect(up.env().OCI_CLI_AUTH).toBe("instance_principal");

    const dir = ours.nodes.node1!.rscTmp;
    const { configFile } = await ours.emulator.writeOciConfig(dir);
    ours.emulator.clearRequestLog();
    const res = await ours.run("start", {
      secondary_private_ip: VIP,
      auth: "config_file",
      config_file: configFile,
    });
    expect(res.status).toBe(0);
    const api = ours.emulator.requestLog().filter((r) => r.operation !== "Imds");
    expect(api.length).toBeGreaterThan(0);
    expect(api.every((r) => r.signature === "ok" && /user|admin/.test(String(r.principal)))).toBe(
      true,
    );
  });
});
