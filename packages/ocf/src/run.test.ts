import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { sampleAgent } from "../test/sample-agent.js";
import { defineAgent } from "./agent.js";
import { ocfParam } from "./annotations.js";
import { OcfExit } from "./exit-codes.js";
import { redactUrlCredentials } from "./logger.js";
import { runAgent } from "./run.js";
import { assertOcfResult, runAction } from "./testing.js";

const ip = "192.0.2.10";
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "ocf-run-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("runAgent dispatch", () => {
  it("runs an implemented action with typed params", async () => {
    const result = await runAction(sampleAgent, "start", { params: { ip }, instance: "vip" });
    assertOcfResult(result, { exitCode: OcfExit.SUCCESS, exitReason: null });
    expect(result.stderr).toMatch(/sample\(vip\)\[\d+\]: INFO: start ip=192.0.2.10/);
  });

  it("answers unknown and unimplemented actions with 3 and a reason", async () => {
    const unknown = await runAction(sampleAgent, "dance", { params: { ip } });
    assertOcfResult(unknown, {
      exitCode: OcfExit.ERR_UNIMPLEMENTED,
      exitReason: /"dance" is not implemented/,
    });
    const migrate = await runAction(sampleAgent, "migrate_to", { params: { ip } });
    expect(migrate.exitCode).toBe(3);
    const proto = await runAction(sampleAgent, "constructor", { params: { ip } });
    expect(proto.exitCode).toBe(3);
  });

  it("exits 2 with usage when no action is given", async () => {
    let stderr = "";
    const code = await runAgent(sampleAgent, {
      argv: [],
      env: {},
      stdout: { write: () => undefined },
      stderr: {
        write: (t: string) => {
          stderr += t;
        },
      },
    });
    expect(code).toBe(OcfExit.ERR_ARGS);
    expect(stderr).toMatch(/^usage: sample \{start\|stop\|monitor\|/);
    expect(stderr).toContain("ocf-exit-reason:no action given");
  });

  it("validates parameters before every action", async () => {
    for (const action of ["start", "stop", "monitor", "validate-all"]) {
      const result = await runAction(sampleAgent, action, { params: { ip, count: "abc" } });
      assertOcfResult(result, {
        exitCode: OcfExit.ERR_CONFIGURED,
        exitReason: /parameter "count"/,
      });
      expect(result.stderr.match(/ocf-exit-reason:/g)).toHaveLength(1);
    }
  });

  it("detects probes and passes the reason of a returned outcome", async () => {
    const probe = await runAction(sampleAgent, "monitor", {
      params: { ip },
      meta: { interval: 0 },
    });
    assertOcfResult(probe, { exitCode: OcfExit.NOT_RUNNING, exitReason: "probe: nothing here" });
    const recurring = await runAction(sampleAgent, "monitor", {
      params: { ip },
      meta: { interval: 10000 },
    });
    assertOcfResult(recurring, { exitCode: OcfExit.SUCCESS, exitReason: null });
  });

  it("maps thrown errors and bad return values to exit codes", async () => {
    const promote = await runAction(sampleAgent, "promote", { params: { ip } });
    assertOcfResult(promote, { exitCode: OcfExit.ERR_GENERIC, exitReason: "cannot promote" });
    const notify = await runAction(sampleAgent, "notify", { params: { ip } });
    assertOcfResult(notify, { exitCode: OcfExit.ERR_GENERIC, exitReason: /returned 42/ });
  });

  it("answers before Pacemaker's timeout when an action hangs", async () => {
    const started = Date.now();
    const result = await runAction(sampleAgent, "demote", {
      params: { ip },
      meta: { timeout: 1000 },
    });
    assertOcfResult(result, {
      exitCode: OcfExit.ERR_GENERIC,
      exitReason: /demote did not finish within its 500 ms/,
    });
    // The handler would hang for 5 s: answering well before that proves the deadline cut it off.
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it("never logs a secret parameter, in files or in the exit reason", async () => {
    const logFile = join(dir, "ha.log");
    const result = await runAction(sampleAgent, "start", {
      params: { ip, token: "s3cr3t-value" },
      env: { HA_LOGFILE: logFile },
    });
    expect(result.exitCode).toBe(0);
    const logged = await readFile(logFile, "utf8");
    expect(logged).toMatch(/sample\(test\)\[\d+\]:\s+INFO: start ip=192.0.2.10 token=\*\*\*/);
    expect(logged).not.toContain("s3cr3t");
    expect(result.stderr).toBe("");
  });

  it("never prints the user info of a URL: logs and exit reasons say ***", () => {
    expect(
      redactUrlCredentials(
        'api=http://admin:hunter2@127.0.0.1:9/x, "https://u@h", ftp://a:b@c@d/ and http://plain/',
      ),
    ).toBe('api=http://***@127.0.0.1:9/x, "https://***@h", ftp://***@d/ and http://plain/');
  });

  it("runs onInvalidParameters instead of exiting 6 when the action has one", async () => {
    const seen: string[] = [];
    const agent = defineAgent({
      name: "lenient",
      version: "1",
      shortdesc: "x",
      parameters: z.object({ ip: ocfParam(z.ipv4(), { shortdesc: "IP" }) }),
      actions: {
        start: () => undefined,
        stop: {
          timeout: "20s",
          run: () => undefined,
          onInvalidParameters: (c, error) => {
            seen.push(`${c.action} ${c.rawEnv.OCF_RESKEY_ip} ${error.message}`);
          },
        },
      },
    });
    const stop = await runAction(agent, "stop", { params: { ip: "bogus" } });
    expect(stop.exitCode).toBe(0);
    expect(seen).toEqual([expect.stringMatching(/^stop bogus parameter "ip"/)]);
    expect(stop.stderr).toMatch(/WARNING: stop with invalid parameters: parameter "ip"/);
    // Actions without it still refuse.
    const start = await runAction(agent, "start", { params: { ip: "bogus" } });
    expect(start.exitCode).toBe(OcfExit.ERR_CONFIGURED);
  });

  it("traces the parameters with OCF_TRACE_RA, secrets masked", async () => {
    const result = await runAction(sampleAgent, "start", {
      params: { ip, token: 'quote"secret' },
      env: { OCF_TRACE_RA: "1" },
    });
    expect(result.stderr).toMatch(
      /DEBUG: start: parameters \{"ip":"192.0.2.10",.*"token":"\*\*\*"/,
    );
    expect(result.stderr).not.toContain("secret");
  });
});
