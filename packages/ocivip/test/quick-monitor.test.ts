import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PrivateDir } from "@ocfkit/ocf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FILES, openResourceDir } from "../src/runtime/files.js";
import { quickMonitor } from "../src/runtime/quick.js";
import { paramsKey, type StoredState } from "../src/runtime/rules.js";
import { addNic, createTestNetns, type TestNetns } from "./helpers/netns.js";
import {
  type PacemakerLab,
  type SingleNodeCluster,
  startPacemakerLab,
} from "./helpers/pacemaker.js";
import { createWorld, VIP, type World } from "./helpers/world.js";

const V4 = "192.0.2.100";
const V6 = "2001:db8::100";
const T = 1_800_000_000_000;
type Env = Record<string, string>;
const IP_BIN = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"].find((p) => existsSync(p))!;

describe("quickMonitor, the reader, against a real namespace", () => {
  let ns: TestNetns;
  let rscTmp: string;
  let dir: PrivateDir;
  beforeAll(() => {
    ns = createTestNetns("ocfk-quick");
    rscTmp = mkdtempSync(join(tmpdir(), "ocfk-quick-"));
    const opened = openResourceDir({ HA_RSCTMP: rscTmp, OCF_RESOURCE_INSTANCE: "vip" });
    if (!opened.ok) throw new Error(opened.reason);
    dir = opened.dir;
    addNic(ns, { name: "ens3", mac: "02:00:17:00:0a:01", address: `${V4}/24` });
    addNic(ns, { name: "ens4", mac: "02:00:17:00:0a:02", address: "198.51.100.7/24" });
    ns.ip("addr", "add", `${V6}/64`, "dev", "ens3", "nodad");
  });
  afterAll(() => {
    ns?.remove();
    if (rscTmp) rmSync(rscTmp, { recursive: true, force: true });
  });

  /** A started resource's state file, as start or a monitor's cloud check leaves it. */
  function issue(ip: string, dev = "ens3", extra: Env = {}, state: Partial<StoredState> = {}): Env {
    const env = {
      HA_RSCTMP: rscTmp,
      OCF_RESOURCE_INSTANCE: "vip",
      OCF_RESKEY_secondary_private_ip: ip,
      OCF_RESKEY_cloud_check_interval: "300",
      OCF_RESKEY_CRM_meta_timeout: "30000",
      ...extra,
    };
    const stored: StoredState = {
      version: 1,
      ip,
      dev,
      prefixLength: 24,
      vnicId: "v",
      phase: "started",
      lastCloudCheck: T,
      nextCloudCheck: T + 300_000,
      params: paramsKey(env),
      ...state,
    };
    dir.write(FILES.state, JSON.stringify(stored));
    return env;
  }
  const check = (env: Env, now = T + 1000) =>
    quickMonitor({ dir, env, now, ipCommand: [IP_BIN, "-n", ns.name] });
  const declined = (reason: RegExp) => ({ healthy: false, reason: expect.stringMatching(reason) });

  it("accepts the healthy case, IPv4 and IPv6, and ignores CRM_meta_* differences", () => {
    const env = issue(V4);
    expect(check(env)).toEqual({ healthy: true });
    expect(check({ ...env, OCF_RESKEY_CRM_meta_interval: "20000", OCF_CHECK_LEVEL: "0" })).toEqual({
      healthy: true,
    });
    expect(check({ ...env, HA_debug: "0" })).toEqual({ healthy: true });
    expect(check(issue(V6))).toEqual({ healthy: true });
  });

  it("declines when the address is absent or on another device", () => {
    expect(check(issue("192.0.2.101"))).toEqual(declined(/192\.0\.2\.101 is not on ens3/));
    expect(check(issue("2001:db8::101"))).toEqual(declined(/not on ens3/));
    expect(check(issue(V4, "ens4"))).toEqual(declined(/is not on ens4/));
    expect(check(issue("198.51.100.7", "ens3"))).toEqual(declined(/is not on ens3/));
    expect(check(issue(V4, "ens9"))).toEqual(declined(/ip failed/));
  });

  it("declines when the parameters differ from the state's", () => {
    const env = issue(V4);
    expect(check({ ...env, OCF_RESKEY_cidr_netmask: "24" })).toEqual(declined(/parameters/));
    expect(check({ ...env, OCF_RESKEY_secondary_private_ip: "192.0.2.100 " })).toEqual(
      declined(/parameters/),
    );
  });

  it("declines when a cloud check is due, the clock is before the last one, or the ticket outlives the interval", () => {
    const env = issue(V4);
    expect(check(env, T + 300_000 - 1)).toEqual({ healthy: true });
    expect(check(env, T + 300_000)).toEqual(declined(/cloud check due/));
    expect(check(env, T - 1)).toEqual(declined(/cloud check due/));
    // A ticket promising more than cloud_check_interval (300 s) is not honoured.
    expect(check(issue(V4, "ens3", {}, { nextCloudCheck: T + 300_001 }))).toEqual(
      declined(/cloud check due/),
    );
    // A revoked ticket (a failed action dropped nextCloudCheck), or a start in progress.
    issue(V4);
    const { nextCloudCheck: _, ...revoked } = JSON.parse(dir.read(FILES.state)!) as StoredState;
    dir.write(FILES.state, JSON.stringify(revoked));
    expect(check(env)).toEqual(declined(/cloud check due/));
    expect(check(issue(V4, "ens3", {}, { phase: "starting" }))).toEqual(
      declined(/cloud check due/),
    );
  });

  it("declines without a state, with a corrupt one, or without a private directory", () => {
    const env = issue(V4);
    dir.remove(FILES.state);
    expect(check(env)).toEqual(declined(/no state/));
    dir.write(FILES.state, "{");
    expect(check(env)).toEqual(declined(/no state/));
    issue(V4);
    expect(quickMonitor({ dir: undefined, env, now: T + 1000 })).toEqual(declined(/no private/));
  });

  it("declines at depth 10, with tracing or debug, and when ip fails", () => {
    const env = issue(V4);
    expect(check({ ...env, OCF_CHECK_LEVEL: "10" })).toEqual(declined(/OCF_CHECK_LEVEL/));
    expect(check({ ...env, OCF_TRACE_RA: "1" })).toEqual(declined(/tracing/));
    expect(check({ ...env, HA_debug: "1" })).toEqual(declined(/HA_debug/));
    const gone = quickMonitor({
      dir,
      env,
      now: T + 1000,
      ipCommand: [IP_BIN, "-n", `${ns.name}-x`],
    });
    expect(gone).toEqual(declined(/ip failed/));
  });
});

describe("the quick path through the real launcher, against the emulator", () => {
  let world: World;
  beforeAll(async () => {
    world = await createWorld({ nodes: { node1: undefined } });
  }, 120_000);
  afterAll(async () => {
    await world?.close();
  });

  const params = { secondary_private_ip: VIP };
  const dir = () => join(world.nodes.node1!.rscTmp, "ocfkit-ocivip", "vip");
  const ticket = () => join(dir(), "state.json");
  // Only the full agent reads dist/agent.cjs, and it writes its V8 code cache when there is none.
  const codeCaches = () => readdirSync(dir()).filter((f) => f === "agent.v8cache");
  const dropCodeCaches = () => {
    for (const f of codeCaches()) rmSync(join(dir(), f));
  };

  it("after a start, a depth-0 monitor answers 0 without loading the agent or any request", async () => {
    expect((await world.run("start", params)).status).toBe(0);
    expect(JSON.parse(readFileSync(ticket(), "utf8"))).toMatchObject({ ip: VIP, dev: "ens3" });
    dropCodeCaches();
    world.emulator.clearRequestLog();
    const res = await world.run("monitor", params);
    expect(res.status).toBe(0);
    expect(codeCaches()).toEqual([]);
    expect(world.emulator.requestLog()).toHaveLength(0);
    // The same monitor with tracing asked runs the full agent, which writes the code cache.
    const traced = await world.run("monitor", params, { env: { OCF_TRACE_RA: "1" } });
    expect(traced.status).toBe(0);
    expect(codeCaches()).toHaveLength(1);
  });

  it("a depth-10 monitor runs the full agent, checks the cloud and renews the ticket", async () => {
    const before = JSON.parse(readFileSync(ticket(), "utf8")).lastCloudCheck as number;
    world.emulator.clearRequestLog();
    const deep = await world.run("monitor", params, { env: { OCF_CHECK_LEVEL: "10" } });
    expect(deep.status).toBe(0);
    expect(world.emulator.requestLog().map((r) => r.operation)).toEqual(["ListPrivateIps"]);
    expect(JSON.parse(readFileSync(ticket(), "utf8")).lastCloudCheck).toBeGreaterThan(before);
  });

  it("an address removed behind the agent's back: the full agent answers 7 and revokes the ticket", async () => {
    world.nodes.node1!.ns.ip("addr", "del", `${VIP}/24`, "dev", "ens3");
    const res = await world.run("monitor", params);
    expect(res.status).toBe(7);
    expect(res.stderr).toContain(`${VIP} is not configured on this node`);
    expect(JSON.parse(readFileSync(ticket(), "utf8")).nextCloudCheck).toBeUndefined();
    expect((await world.run("start", params)).status).toBe(0);
    expect(JSON.parse(readFileSync(ticket(), "utf8")).nextCloudCheck).toBeGreaterThan(Date.now());
  });

  it("stop removes the state; the next monitor answers 7 through the full agent", async () => {
    expect((await world.run("stop", params)).status).toBe(0);
    expect(existsSync(ticket())).toBe(false);
    dropCodeCaches();
    const res = await world.run("monitor", params);
    expect(res.status).toBe(7);
    expect(res.stderr).toContain("is not configured on this node");
    expect(codeCaches()).toHaveLength(1);
  });
});

describe("the quick path under a real single-node Pacemaker", () => {
  let lab: PacemakerLab;
  let provider: string;
  let world: World;
  let cluster: SingleNodeCluster | undefined;
  beforeAll(async () => {
    lab = await startPacemakerLab("ocfkit-quick");
    ({ provider, world, cluster } = lab);
  }, 180_000);
  afterAll(async () => {
    await lab?.close();
  });

  // Inside the node's own mount namespace, where Pacemaker's HA_RSCTMP is /run/resource-agents.
  const sh = async (script: string) => (await cluster!.exec("sh", ["-c", script])).stdout;
  const dir = "/run/resource-agents/ocfkit-ocivip/OCIVIP";
  const codeCaches = async () =>
    (await sh(`ls ${dir} | grep -c '^agent\\.v8cache$' || true`)).trim();
  const started = async () =>
    /OCIVIP.*Started n1/.test((await cluster!.exec("crm_mon", ["-1"])).stdout);

  it("Pacemaker's start and monitors agree on the parameters: recurring monitors take the quick path", async () => {
    const endpoints = Object.entries(world.endpoints("node1")).map(([k, v]) => `${k}=${v}`);
    const res = await cluster!.exec("pcs", [
      ...["resource", "create", "OCIVIP", `ocf:${provider}:ocivip`, `secondary_private_ip=${VIP}`],
      ...["cidr_netmask=24", ...endpoints, "op", "monitor", "interval=1s", "OCF_CHECK_LEVEL=0"],
    ]);
    expect(res.status, res.stderr).toBe(0);
    await cluster!.waitFor("OCIVIP started", started);
    expect(JSON.parse(await sh(`cat ${dir}/state.json`))).toMatchObject({ ip: VIP });
    await sh(`rm -f ${dir}/agent.v8cache`);
    // About five recurring monitors. (Requests are not counted here: the probe's "not running"
    // before the start may warm a standby up in the background.)
    await new Promise((r) => setTimeout(r, 5000));
    expect(await codeCaches()).toBe("0");
    expect(await started()).toBe(true);
    // A lost address: the quick path declines, the whole agent (code cache again) says 7.
    world.nodes.node1!.ns.ip("addr", "del", `${VIP}/24`, "dev", "ens3");
    await cluster!.waitFor("a failed monitor", async () =>
      /monitor.*not running.*is not configured on this node/i.test(
        (await cluster!.exec("crm_mon", ["-1"])).stdout,
      ),
    );
    expect(await codeCaches()).toBe("1");
  }, 120_000);
});
