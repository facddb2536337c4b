import { defaultScenario } from "@ocfkit/oci-emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startWorld, type World } from "./helpers.js";

let w: World;
let node2: string;
let compartment: string;

beforeAll(async () => {
  w = await startWorld();
  node2 = w.emu.scenario.instances.find((i) => i.name === "node2")!.id;
  compartment = w.emu.scenario.compartments.find((c) => c.name === "ha")!.id;
});
afterAll(async () => {
  await w?.stop();
});
beforeEach(async () => {
  await w.emu.compute.settled();
  w.emu.reset();
  w.emu.compute.setTimings({ stopMs: 50, startMs: 50 });
});

/** The request log's length once no entry has come for `quietMs` (at most `capMs` of waiting). */
async function quietLogLength(quietMs: number, capMs: number): Promise<number> {
  const until = Date.now() + capMs;
  let length = w.emu.requestLog().length;
  let since = Date.now();
  while (Date.now() - since < quietMs && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 5));
    const now = w.emu.requestLog().length;
    if (now !== length) {
      length = now;
      since = Date.now();
    }
  }
  return length;
}

const ops = () =>
  w.emu
    .requestLog()
    .filter((e) => e.operation === "InstanceAction" || e.operation === "GetInstance")
    .map((e) => `${e.operation} ${e.status} ${e.signature} ${e.principal}`);

describe("fence_oci against the emulator (signed requests, instance principal of node1)", () => {
  it("status: 0 while RUNNING, 2 once STOPPED", async () => {
    expect(await w.run(["-o", "status", "-n", node2, ...w.endpointArgs()])).toMatchObject({
      code: 0,
      stdout: "Status: ON\n",
    });
    w.emu.compute.setState("node2", "STOPPED");
    expect(await w.run(["-o", "status", "-n", node2, ...w.endpointArgs()])).toMatchObject({
      code: 2,
      stdout: "Status: OFF\n",
    });
    expect(ops().every((o) => o.endsWith("ok instance:node1"))).toBe(true);
  });

  it("off (stdin, as the fencer calls it): STOP, waits through STOPPING until STOPPED", async () => {
    w.emu.compute.setTimings({ stopMs: 400 });
    const r = await w.run(`action=off\nport=${node2}\nnodename=node2\n${w.endpointLines()}`);
    expect(r).toMatchObject({ code: 0, stdout: "Success: Powered OFF\n" });
    expect(w.emu.compute.state("node2")).toBe("STOPPED");
    const seen = ops();
    expect(seen.filter((o) => o.startsWith("InstanceAction"))).toEqual([
      "InstanceAction 200 ok instance:node1",
    ]);
    // At least one status read saw STOPPING before STOPPED.
    expect(seen.filter((o) => o.startsWith("GetInstance")).length).toBeGreaterThanOrEqual(3);
    const again = await w.run(`action=off\nport=${node2}\n${w.endpointLines()}`);
    expect(again).toMatchObject({ code: 0, stdout: "Success: Already OFF\n" });
  });

  it("on starts a stopped instance; reboot is off then on; method=cycle is one RESET", async () => {
    w.emu.compute.setState("node2", "STOPPED");
    expect(await w.run(["-o", "on", "-n", node2, ...w.endpointArgs()])).toMatchObject({
      code: 0,
      stdout: "Success: Powered ON\n",
    });
    // STARTING already has power (status says ON); it settles in RUNNING.
    await w.emu.compute.settled();
    expect(w.emu.compute.state("node2")).toBe("RUNNING");
    const powers: string[] = [];
    const off = w.emu.compute.onPowerChange((c) => {
      powers.push(`${c.instance}:${c.power}:${c.action}`);
    });
    try {
      expect((await w.run(["-n", node2, ...w.endpointArgs()])).stdout).toBe("Success: Rebooted\n");
      await w.emu.compute.settled();
      expect(powers).toEqual(["node2:off:STOP", "node2:on:START"]);
      powers.length = 0;
      const cycle = await w.run(["-o", "reboot", "-m", "cycle", "-n", node2, ...w.endpointArgs()]);
      expect(cycle.code).toBe(0);
      await w.emu.compute.settled();
      expect(powers).toEqual(["node2:off:RESET", "node2:on:RESET"]);
    } finally {
      off();
    }
  });

  it("plugs by display name: in the given compartment, or this instance's", async () => {
    const named = await w.run([
      "-o",
      "status",
      "-n",
      "node2",
      `--compartment=${compartment}`,
      ...w.endpointArgs(),
    ]);
    expect(named).toMatchObject({ code: 0, stdout: "Status: ON\n" });
    const implicit = await w.run(["-o", "status", "-n", "node2", ...w.endpointArgs()]);
    expect(implicit).toMatchObject({ code: 0, stdout: "Status: ON\n" });
    const missing = await w.run(["-o", "off", "-n", "node9", ...w.endpointArgs()]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no instance named "node9"');
    expect(w.emu.compute.state("node2")).toBe("RUNNING");
  });

  it("list and list-status: the compartment's instances", async () => {
    w.emu.compute.setState("node1", "STOPPED");
    const r = await w.run([
      "-o",
      "list-status",
      `--compartment=${compartment}`,
      ...w.endpointArgs("node2"),
    ]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n").sort();
    expect(lines).toEqual(
      w.emu.scenario.instances
        .map((i) => `${i.id},${i.name},${i.name === "node1" ? "OFF" : "ON"}`)
        .sort(),
    );
    expect((await w.run(["-o", "monitor", ...w.endpointArgs()])).code).toBe(0);
  });

  it("a 503 burst on InstanceAction is retried within api_timeout", async () => {
    w.emu.faults.add({ operation: "InstanceAction", status: 503, count: 2 });
    const r = await w.run(["-o", "off", "-n", node2, ...w.endpointArgs()]);
    expect(r.code).toBe(0);
    expect(w.emu.compute.state("node2")).toBe("STOPPED");
    expect(
      ops()
        .filter((o) => o.startsWith("InstanceAction"))
        .map((o) => o.split(" ")[1]),
    ).toEqual(["503", "503", "200"]);
  });

  it("the API down: fails (never reports success) within api_timeout, instance untouched", async () => {
    w.emu.faults.add({ operation: "*", status: 503 });
    const t0 = Date.now();
    const r = await w.run(["-o", "off", "-n", node2, "--api-timeout=1", ...w.endpointArgs()]);
    expect(r.code).not.toBe(0);
    expect([4, 5]).toContain(r.code);
    expect(r.stdout).toBe("");
    expect(Date.now() - t0).toBeLessThan(10_000);
    // Nothing of the failed call goes on to act once the API is back. A request already written
    // when the call failed is aborted on our side, but its bytes are on the loopback socket and
    // the in-process emulator may read them only after fence_oci has returned: wait until the
    // log is quiet (shorter than any retry's backoff), then no new request may come.
    const seen = await quietLogLength(30, 1000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(w.emu.requestLog().slice(seen)).toEqual([]);
    w.emu.faults.clear();
    expect(w.emu.compute.state("node2")).toBe("RUNNING");
  });

  it("bad options exit 2 naming the option, before any request", async () => {
    w.emu.clearRequestLog();
    const r = await w.run([
      "-o",
      "off",
      "-n",
      node2,
      "--compartment=ocid1.vcn.x",
      ...w.endpointArgs(),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('option "compartment": must be a compartment OCID');
    const auth = await w.run(["-o", "status", "-n", node2, "--auth=password", ...w.endpointArgs()]);
    expect(auth.code).toBe(2);
    expect(auth.stderr).toContain(
      'option "auth": expected one of instance_principal, config_file, resource_principal',
    );
    const plug = await w.run(["-o", "off", "-n", "ocid1.vnic.oc1..x", ...w.endpointArgs()]);
    expect(plug.code).toBe(2);
    expect(
      w.emu.requestLog().filter((e) => e.operation !== "Imds" && e.operation !== "Federation"),
    ).toEqual([]);
  });

  it("a config-file API key works as auth=config_file", async () => {
    const files = await w.emu.writeOciConfig(w.dir);
    const r = await w.run([
      "-o",
      "status",
      "-n",
      node2,
      "--auth=config_file",
      `--config-file=${files.configFile}`,
      `--profile=${files.profile}`,
      ...w.endpointArgs(),
    ]);
    expect(r).toMatchObject({ code: 0, stdout: "Status: ON\n" });
    // Signed with the config file's API key (user:admin), not as the instance.
    expect(ops()).toEqual(["GetInstance 200 ok user:admin"]);
  });
});

describe("fence_oci without the IAM grant", () => {
  let readOnly: World;
  beforeAll(async () => {
    const scenario = defaultScenario();
    scenario.grants = [{ principal: "dynamic-group:ha-nodes", compartment: "ha", verb: "read" }];
    readOnly = await startWorld({ scenario });
  });
  afterAll(async () => {
    await readOnly?.stop();
  });

  it("off exits 11 (INVALID_PRIVILEGES) and names the policy statement", async () => {
    const id = readOnly.emu.scenario.instances.find((i) => i.name === "node2")!.id;
    const r = await readOnly.run(["-o", "off", "-n", id, ...readOnly.endpointArgs()]);
    expect(r.code).toBe(11);
    expect(r.stderr).toContain("to use instances in compartment");
    expect(readOnly.emu.compute.state(id)).toBe("RUNNING");
  });
});
