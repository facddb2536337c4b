import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatHaDate } from "./ha-date.js";
import { createLogger } from "./logger.js";
import { createStateStore } from "./state.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "ocf-state-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("state store", () => {
  it("writes atomically, reads back, and removes idempotently", async () => {
    const state = createStateStore({ dir: join(dir, "rsc"), prefix: "dummy-clone:1" });
    expect(state.path("state")).toBe(join(dir, "rsc", "dummy-clone_1.state"));
    expect(await state.read("state")).toBeUndefined();
    await state.write("state", "one");
    await state.write("state", "two");
    expect(await state.read("state")).toBe("two");
    expect(await readdir(join(dir, "rsc"))).toEqual(["dummy-clone_1.state"]);
    expect(await state.exists("state")).toBe(true);
    await state.remove("state");
    await state.remove("state");
    expect(await state.exists("state")).toBe(false);
    expect(() => state.path("../x")).toThrow(/state key/);
  });
});

describe("logger", () => {
  const base = { agentName: "dummy", pid: 7, now: () => new Date(0) };
  it("follows ha_log: syslog and files, stderr only when neither is set", async () => {
    const sent: string[] = [];
    let stderr = "";
    const logFile = join(dir, "ha.log");
    const debugLog = join(dir, "debug.log");
    const log = createLogger({
      ...base,
      instance: "d1",
      debug: false,
      log: {
        facility: "daemon",
        tag: undefined,
        file: logFile,
        debugFile: debugLog,
        dateFormat: "%Y/%m/%d_%T",
      },
      syslog: async (tag, priority, message) => {
        sent.push(`${tag} ${priority} ${message}`);
      },
      stderr: {
        write: (t: string) => {
          stderr += t;
        },
      },
      secrets: ["hunter2"],
    });
    log.warn("password hunter2 rejected");
    log.debug("hidden");
    await log.flush();
    expect(sent).toEqual(["dummy(d1)[7] daemon.warning WARNING: password *** rejected"]);
    expect(await readFile(logFile, "utf8")).toBe(
      `${formatHaDate(new Date(0), "%Y/%m/%d_%T")} dummy(d1)[7]:    WARNING: password *** rejected\n`,
    );
    expect(await readFile(debugLog, "utf8")).toBe(
      `dummy(d1)[7]:\t${formatHaDate(new Date(0), "%Y/%m/%d_%T")}WARNING: password *** rejected\n`,
    );
    expect(stderr).toBe("");
  });

  it("writes to stderr with the instance, even under a custom tag", () => {
    let stderr = "";
    const log = createLogger({
      ...base,
      instance: "d2",
      debug: true,
      log: { facility: undefined, tag: "custom", file: undefined, debugFile: undefined },
      stderr: {
        write: (t: string) => {
          stderr += t;
        },
      },
    });
    log.debug("a");
    log.error("b\nc");
    // HA_DATEFMT unset: resource-agents' default "%b %d %T " (local time, trailing space).
    const stamp = formatHaDate(new Date(0), "%b %d %T ");
    expect(stamp).toMatch(/^[A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d $/);
    expect(stderr).toBe(`${stamp}custom: DEBUG: d2: a\n${stamp}custom: ERROR: d2: b c\n`);
  });

  it("sends real syslog lines through logger(1) without failing", async () => {
    const log = createLogger({
      ...base,
      instance: "d3",
      debug: false,
      log: { facility: "user", tag: "ocfkit-test", file: undefined, debugFile: undefined },
    });
    log.info("ocfkit logger test line");
    await expect(log.flush()).resolves.toBeUndefined();
  });
});
