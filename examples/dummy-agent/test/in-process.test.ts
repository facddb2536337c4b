import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OcfExit, renderMetadata } from "@ocfkit/ocf";
import { assertOcfResult, runAction } from "@ocfkit/ocf/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dummyAgent } from "../src/agent.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "dummy-inproc-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("dummyAgent in-process", () => {
  it("declares state and an integer op_sleep defaulting to 0", () => {
    const xml = renderMetadata(dummyAgent);
    expect(xml).toContain('<parameter name="state" unique-group="state" unique="1" required="0">');
    expect(xml).toContain('<content type="integer" default="0" />');
    expect(xml).toContain('<action name="monitor" timeout="20s" interval="10s" depth="0" />');
  });

  it("uses an explicit state file and honours op_sleep", async () => {
    const state = join(dir, "explicit.state");
    const started = await runAction(dummyAgent, "start", { params: { state, op_sleep: 1 } });
    assertOcfResult(started, { exitCode: 0 });
    expect(await readFile(state, "utf8")).toMatch(/^started /);
    assertOcfResult(await runAction(dummyAgent, "monitor", { params: { state } }), { exitCode: 0 });
    assertOcfResult(await runAction(dummyAgent, "stop", { params: { state } }), { exitCode: 0 });
  });

  it("migrates: migrate_from starts here, migrate_to stops here", async () => {
    const state = join(dir, "migrating.state");
    const from = await runAction(dummyAgent, "migrate_from", {
      params: { state },
      meta: { migrate_source: "node1", migrate_target: "node2" },
    });
    assertOcfResult(from, { exitCode: 0, stderr: /INFO: migrating from node1/ });
    assertOcfResult(await runAction(dummyAgent, "monitor", { params: { state } }), { exitCode: 0 });
    const to = await runAction(dummyAgent, "migrate_to", {
      params: { state },
      meta: { migrate_source: "node2", migrate_target: "node3" },
    });
    assertOcfResult(to, { exitCode: 0, stderr: /INFO: migrating to node3/ });
    assertOcfResult(await runAction(dummyAgent, "monitor", { params: { state } }), {
      exitCode: OcfExit.NOT_RUNNING,
    });
  });

  it("rejects a relative state path and a negative op_sleep", async () => {
    const relative = await runAction(dummyAgent, "validate-all", { params: { state: "x.state" } });
    assertOcfResult(relative, {
      exitCode: OcfExit.ERR_CONFIGURED,
      exitReason: /"state": must be an absolute path/,
    });
    const negative = await runAction(dummyAgent, "start", { params: { op_sleep: -1 } });
    assertOcfResult(negative, {
      exitCode: OcfExit.ERR_CONFIGURED,
      exitReason: /"op_sleep": must be 0 or more/,
    });
  });

  it("fails a sleep that outlasts Pacemaker's timeout before Pacemaker would", async () => {
    const result = await runAction(dummyAgent, "monitor", {
      params: { op_sleep: 5 },
      rscTmp: dir,
      meta: { timeout: 1000 },
    });
    assertOcfResult(result, {
      exitCode: OcfExit.ERR_GENERIC,
      exitReason: /deadline|did not finish/,
    });
  });
});
