import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resourceDirPath } from "../src/runtime/files.js";
import { createWorld, VIP, type World } from "./helpers/world.js";

// Operator mistakes (issue #15), through the agent process against the emulator: each gives the
// right exit code and a reason that names the parameter, and never shows a file's content or a
// URL's password.
let world: World;
let dir: string;
const SECRET = "root:$6$s3cr3tHashThatMustNeverBeLogged:19000:0:99999:7:::";
const exitReason = (stderr: string) =>
  stderr
    .split("\n")
    .filter((l) => l.startsWith("ocf-exit-reason:"))
    .join("\n");

beforeAll(async () => {
  world = await createWorld({ nodes: { node1: undefined } });
  dir = mkdtempSync(join(tmpdir(), "ocivip-mistakes-"));
}, 120_000);
afterAll(async () => {
  await world?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("config_file that is not a config file", () => {
  const configFile = (config_file: string) => ({
    secondary_private_ip: VIP,
    auth: "config_file",
    config_file,
  });

  it("/dev/zero and a FIFO: exit 6 at once, naming config_file", async () => {
    const fifo = join(dir, "fifo");
    execFileSync("mkfifo", [fifo]);
    for (const path of ["/dev/zero", fifo]) {
      for (const action of ["validate-all", "start"]) {
        const r = await world.run(action, configFile(path));
        expect(r.status, r.stderr).toBe(6);
        expect(exitReason(r.stderr)).toContain(
          `parameter "config_file": OCI config file ${path} is not a regular file`,
        );
      }
    }
    expect(world.holder(VIP)).toBeUndefined();
  }, 60_000);

  it("a root-only file such as /etc/shadow: its line number, never its content", async () => {
    const shadow = join(dir, "shadow");
    writeFileSync(shadow, `${SECRET}\n`, { mode: 0o640 });
    const r = await world.run("start", configFile(shadow), { env: { OCF_TRACE_RA: "1" } });
    expect(r.status).toBe(6);
    expect(exitReason(r.stderr)).toMatch(/config_file.*shadow line 1: expected a \[PROFILE\]/);
    expect(r.stderr + r.stdout).not.toMatch(/s3cr3t|root:/);
  });

  it("a missing file: exit 5 (this node lacks it)", async () => {
    const r = await world.run("validate-all", configFile(join(dir, "missing")));
    expect(r.status).toBe(5);
    expect(exitReason(r.stderr)).toMatch(/parameter "config_file": .*cannot be opened \(ENOENT\)/);
  });
});

describe("endpoint URLs with user info", () => {
  it("are refused with exit 6 and never printed with the password, even in the trace", async () => {
    world.emulator.clearRequestLog();
    const params = {
      secondary_private_ip: VIP,
      api_endpoint: world
        .endpoints("node1")
        .api_endpoint!.replace("http://", "http://admin:hunter2@"),
    };
    for (const action of ["validate-all", "start"]) {
      const r = await world.run(action, params, { env: { OCF_TRACE_RA: "1" } });
      expect(r.status).toBe(6);
      expect(exitReason(r.stderr)).toMatch(
        /parameter "api_endpoint": expected a URL without user:password@, got "http:\/\/\*\*\*@127/,
      );
      expect(r.stderr).toMatch(/"api_endpoint":"http:\/\/\*\*\*@127\.0\.0\.1/);
      expect(r.stderr + r.stdout).not.toMatch(/hunter2|admin/);
    }
    expect(world.emulator.requestLog()).toEqual([]);
  }, 60_000);
});

describe("a cache directory another user prepared", () => {
  it("is not believed: start acts on the real VNIC, with one warning", async () => {
    const node = world.nodes.node1!;
    const cacheDir = resourceDirPath({ HA_RSCTMP: node.rscTmp, OCF_RESOURCE_INSTANCE: "vip" });
    rmSync(cacheDir, { recursive: true, force: true });
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    const planted = {
      version: 1,
      bootId: readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim(),
      metadataUrl: world.endpoints("node1").metadata_endpoint,
      snapshot: {
        instance: { id: "ocid1.instance.oc1..x", compartmentId: "ocid1.compartment.oc1..x" },
        vnics: [
          {
            vnicId: "ocid1.vnic.oc1..attackerchosen",
            macAddress: "02:00:17:00:00:11",
            privateIp: "192.0.2.11",
            nicIndex: 0,
            position: 0,
            isPrimaryVnic: true,
            subnetCidr: "192.0.2.0/24",
            ipv6Addresses: [],
          },
        ],
      },
    };
    writeFileSync(join(cacheDir, "oci-vnic-metadata.json"), JSON.stringify(planted), {
      mode: 0o600,
    });
    execFileSync("chown", ["-R", "nobody:nogroup", cacheDir]);
    try {
      const r = await world.run("start", { secondary_private_ip: VIP });
      expect(r.status, r.stderr).toBe(0);
      expect(world.holder(VIP)).toBe(world.vnicId("node1"));
      expect(r.stderr.match(/running without state or caches/g)).toHaveLength(1);
      expect(r.stderr).toMatch(/vip is owned by uid \d+, not 0/);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
      expect((await world.run("stop", { secondary_private_ip: VIP })).status).toBe(0);
    }
  }, 60_000);
});

describe("the primary IP is never a floating IP", () => {
  const PRIMARY = "192.0.2.11";
  const onEns3 = () => world.nodes.node1!.addresses("ens3").map((a) => a.local);

  it("validate-all and start refuse it (6); stop leaves the address and the cloud alone", async () => {
    const params = { secondary_private_ip: PRIMARY };
    const validate = await world.run("validate-all", params);
    expect(validate.status).toBe(6);
    expect(exitReason(validate.stderr)).toMatch(
      /parameter "secondary_private_ip": 192\.0\.2\.11 is the primary private IP/,
    );
    const start = await world.run("start", params);
    expect(start.status).toBe(6);
    const holder = world.holder(PRIMARY);
    expect(holder).toBe(world.vnicId("node1"));
    // Pacemaker stops a resource whose start failed: exit 0, and the node keeps its address.
    const stop = await world.run("stop", params);
    expect(stop.status, stop.stderr).toBe(0);
    expect(onEns3()).toContain(PRIMARY);
    expect(stop.stderr).toMatch(
      /192\.0\.2\.11 on ens3 is left in place: it is the primary private IP/,
    );
    expect(world.holder(PRIMARY)).toBe(holder);
    // With parameters that do not even parse, the interface's own address still stays.
    const bogus = await world.run("stop", { ...params, auth: "bogus" });
    expect(bogus.status).toBe(0);
    expect(onEns3()).toContain(PRIMARY);
    expect(bogus.stderr).toMatch(/ens3's own address/);
  }, 60_000);
});

describe("stop with parameters that are wrong", () => {
  const onEns3 = () => world.nodes.node1!.addresses("ens3").map((a) => a.local);

  for (const [what, bad] of [
    ["auth=bogus (does not parse)", { auth: "bogus" }],
    ["cidr_netmask=99 (parses, does not fit)", { cidr_netmask: "99" }],
  ] as const) {
    it(`${what}: exit 0, the local address removed, the cloud release skipped and said so`, async () => {
      const start = await world.run("start", { secondary_private_ip: VIP });
      expect(start.status, start.stderr).toBe(0);
      expect(onEns3()).toContain(VIP);
      const stop = await world.run("stop", { secondary_private_ip: VIP, ...bad });
      expect(stop.status, stop.stderr).toBe(0);
      expect(exitReason(stop.stderr)).toBe("");
      expect(onEns3()).not.toContain(VIP);
      expect(stop.stderr).toMatch(/releasing 192\.0\.2\.100 in the cloud skipped \(parameter /);
      // Still assigned in the cloud (the next start anywhere moves it); a good stop releases it.
      expect(world.holder(VIP)).toBe(world.vnicId("node1"));
      const good = await world.run("stop", { secondary_private_ip: VIP, release_on_stop: "true" });
      expect(good.status).toBe(0);
      expect(world.holder(VIP)).toBeUndefined();
    }, 60_000);
  }
});
