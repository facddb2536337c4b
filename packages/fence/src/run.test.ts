import { describe, expect, it } from "vitest";
import { defineFenceAgent, type PowerState } from "./agent.js";
import { FenceError } from "./errors.js";
import { FenceExit } from "./exit-codes.js";
import { runFenceAgent } from "./run.js";

/** A device in memory: each target's power state, a log of calls, optional stuck targets. */
function device(initial: Record<string, PowerState>, stuck: string[] = []) {
  const power = new Map(Object.entries(initial));
  const calls: string[] = [];
  const agent = defineFenceAgent({
    name: "fence_memory",
    version: "0.1.0",
    shortdesc: "In-memory device",
    defaults: { stonith_status_sleep: 0.001, power_timeout: 0.05 },
    rebootCycle: async (_ctx, plug) => {
      calls.push(`cycle ${plug}`);
      power.set(plug, "on");
    },
    getPowerStatus: async (_ctx, plug) => {
      const state = power.get(plug);
      if (!state) throw new FenceError("UNKNOWN_PLUG", `no target ${plug}`);
      return state;
    },
    setPowerStatus: async (_ctx, plug, target) => {
      calls.push(`${target} ${plug}`);
      if (!stuck.includes(plug)) power.set(plug, target);
    },
    listPlugs: async () =>
      [...power].map(([plug, status]) => ({ plug, alias: plug.toUpperCase(), status })),
  });
  return { agent, power, calls };
}

async function run(agent: ReturnType<typeof device>["agent"], input: string[] | string) {
  let stdout = "";
  let stderr = "";
  const slept: number[] = [];
  const code = await runFenceAgent(agent, {
    argv: typeof input === "string" ? [] : input,
    stdin: typeof input === "string" ? input : "",
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    sleep: async (ms) => {
      slept.push(ms);
      await new Promise((r) => setTimeout(r, Math.min(ms, 5)));
    },
  });
  return { code, stdout, stderr, slept };
}

describe("runFenceAgent", () => {
  it("status exits 0 when on and 2 when off, 1 on an unknown plug", async () => {
    const d = device({ n1: "on", n2: "off" });
    expect(await run(d.agent, "action=status\nplug=n1\n")).toMatchObject({
      code: 0,
      stdout: "Status: ON\n",
    });
    expect(await run(d.agent, ["-o", "status", "-n", "n2"])).toMatchObject({
      code: 2,
      stdout: "Status: OFF\n",
    });
    const unknown = await run(d.agent, ["-o", "status", "-n", "n9"]);
    expect(unknown.code).toBe(FenceExit.GENERIC_ERROR);
    expect(unknown.stderr).toContain("ERROR: Failed: no target n9");
  });

  it("off powers off and waits; already off does nothing", async () => {
    const d = device({ n1: "on" });
    expect(await run(d.agent, "action=off\nport=n1\n")).toMatchObject({
      code: 0,
      stdout: "Success: Powered OFF\n",
    });
    expect(d.power.get("n1")).toBe("off");
    expect(await run(d.agent, "action=off\nport=n1\n")).toMatchObject({
      code: 0,
      stdout: "Success: Already OFF\n",
    });
    expect(d.calls).toEqual(["off n1"]);
  });

  it("a target that never reaches OFF fails with WAITING_OFF (7) after power_timeout", async () => {
    const d = device({ n1: "on" }, ["n1"]);
    const r = await run(d.agent, ["-o", "off", "-n", "n1"]);
    expect(r.code).toBe(FenceExit.WAITING_OFF);
    expect(r.stderr).toContain("n1 did not reach OFF within power_timeout=0.05 s");
  });

  it("on retries 1 + retry_on times before WAITING_ON (6)", async () => {
    const d = device({ n1: "off" }, ["n1"]);
    const r = await run(d.agent, ["-o", "on", "-n", "n1", "--retry-on=2"]);
    expect(r.code).toBe(FenceExit.WAITING_ON);
    expect(d.calls).toEqual(["on n1", "on n1", "on n1"]);
  });

  it("reboot (default action) waits the delay, powers off then on", async () => {
    const d = device({ n1: "on" });
    const r = await run(d.agent, "plug=n1\ndelay=3\n");
    expect(r).toMatchObject({ code: 0, stdout: "Success: Rebooted\n" });
    expect(r.slept[0]).toBe(3000);
    expect(d.calls).toEqual(["off n1", "on n1"]);
  });

  it("the delay falls between the status read and the power-off, however long the read took", async () => {
    // Two nodes' agents both stuck on a failing API: the one with the delay must still shoot
    // second once the API answers again, so the delay is taken after the read, not before it.
    const events: string[] = [];
    const d = device({ n1: "on" });
    const slowRead = defineFenceAgent({
      ...d.agent.definition,
      getPowerStatus: async (ctx, plug) => {
        events.push("status");
        return d.agent.definition.getPowerStatus(ctx, plug);
      },
      setPowerStatus: async (ctx, plug, target) => {
        events.push(target);
        return d.agent.definition.setPowerStatus(ctx, plug, target);
      },
    });
    const r = await runFenceAgent(slowRead, {
      argv: [],
      stdin: "action=off\nplug=n1\ndelay=2\n",
      stdout: () => undefined,
      stderr: () => undefined,
      sleep: async (ms) => {
        events.push(`sleep ${ms}`);
      },
    });
    expect(r).toBe(0);
    expect(events.slice(0, 3)).toEqual(["status", "sleep 2000", "off"]);
    // Already off: nothing to break a tie over, no delay.
    events.length = 0;
    await runFenceAgent(slowRead, {
      argv: [],
      stdin: "action=off\nplug=n1\ndelay=2\n",
      stdout: () => undefined,
      stderr: () => undefined,
      sleep: async (ms) => {
        events.push(`sleep ${ms}`);
      },
    });
    expect(events).toEqual(["status"]);
  });

  it("delay applies to off and reboot only, never to status", async () => {
    const d = device({ n1: "on" });
    expect((await run(d.agent, "action=status\nplug=n1\ndelay=3\n")).slept).toEqual([]);
  });

  it("method=cycle uses the device's one-step power cycle", async () => {
    const d = device({ n1: "on" });
    expect((await run(d.agent, ["-o", "reboot", "-n", "n1", "-m", "cycle"])).code).toBe(0);
    expect(d.calls).toEqual(["cycle n1"]);
  });

  it("list and list-status print plug,alias[,STATE] with the separator", async () => {
    const d = device({ n1: "on", n2: "off" });
    expect((await run(d.agent, ["-o", "list"])).stdout).toBe("n1,N1\nn2,N2\n");
    expect((await run(d.agent, ["-o", "list-status", "-C", ";"])).stdout).toBe(
      "n1;N1;ON\nn2;N2;OFF\n",
    );
    expect((await run(d.agent, ["-o", "monitor"])).code).toBe(0);
  });

  it("bad input is BAD_ARGS (2) naming the option, and nothing is changed", async () => {
    const d = device({ n1: "on" });
    const noPlug = await run(d.agent, "action=off\n");
    expect(noPlug.code).toBe(FenceExit.BAD_ARGS);
    expect(noPlug.stderr).toContain('option "plug" is required for action "off"');
    const badAction = await run(d.agent, ["-o", "explode", "-n", "n1"]);
    expect(badAction.code).toBe(2);
    expect(badAction.stderr).toContain('option "action": expected one of on, off, reboot');
    const badTimeout = await run(d.agent, "action=off\nplug=n1\npower_timeout=soon\n");
    expect(badTimeout.code).toBe(2);
    expect(d.calls).toEqual([]);
  });

  it("metadata and validate-all need no plug; unknown stdin names only warn", async () => {
    const d = device({ n1: "on" });
    const meta = await run(d.agent, "action=metadata\n");
    expect(meta.code).toBe(0);
    expect(meta.stdout).toContain('<resource-agent name="fence_memory"');
    const valid = await run(d.agent, "action=validate-all\nwhatever=1\npcmk_delay_max=5\n");
    expect(valid.code).toBe(0);
    expect(valid.stderr).toBe('WARNING: ignoring unknown option "whatever" on stdin\n');
  });

  it("an unexpected exception from a hook is a generic error (1)", async () => {
    const agent = defineFenceAgent({
      name: "fence_broken",
      version: "0",
      shortdesc: "broken",
      getPowerStatus: async () => {
        throw new Error("socket hang up");
      },
      setPowerStatus: async () => {},
    });
    const r = await run(agent as never, ["-o", "status", "-n", "x"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("unexpected error: socket hang up");
  });

  it("--help and --version print and exit 0", async () => {
    const d = device({});
    expect((await run(d.agent, ["--version"])).stdout).toBe("0.1.0\n");
    expect((await run(d.agent, ["-h"])).stdout).toContain("-n, --plug=[id]");
  });
});

describe("defineFenceAgent", () => {
  it("refuses a name Pacemaker would not run and options that shadow standard ones", () => {
    const hooks = { getPowerStatus: async () => "on" as const, setPowerStatus: async () => {} };
    expect(() => defineFenceAgent({ name: "oci", version: "0", shortdesc: "x", ...hooks })).toThrow(
      /must be fence_/,
    );
    expect(() =>
      defineFenceAgent({
        name: "fence_x",
        version: "0",
        shortdesc: "x",
        options: { delay: { type: "string", shortdesc: "d" } },
        ...hooks,
      }),
    ).toThrow(/"delay" of fence_x is a standard option/);
  });
});
