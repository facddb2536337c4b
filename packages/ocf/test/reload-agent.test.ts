import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { OcfExit } from "../src/index.js";
import { assertOcfResult, runAgentProcess } from "../src/testing.js";
import { schemas, xmllint } from "./xmllint.js";

const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));
const script = fileURLToPath(new URL("./reloadable-agent.ts", import.meta.url));
const args = ["--conditions=@ocfkit/source", script];

// Through the agent process: what Pacemaker runs.
describe("an agent with reloadable parameters and no reload-agent handler", () => {
  it("advertises reload-agent and reloadable parameters by default, valid for OCF 1.1 and ocf-tester", async () => {
    const result = await runAgentProcess(tsx, "meta-data", { args, timeoutMs: 20_000 });
    expect(result.exitCode).toBe(0);
    const xml = result.stdout;
    expect(xml).toContain("<version>1.1</version>");
    expect(xml).toMatch(/<parameter name="interval" unique="0" required="0" reloadable="1">/);
    expect(xml).toMatch(/<parameter name="name" unique-group="name" unique="1" required="1">/);
    expect(xml).toContain('<action name="reload-agent" timeout="20s" />');
    expect((await xmllint(xml, schemas.pcs11)).code).toBe(0);
    expect((await xmllint(xml, schemas.ocfTester)).code).toBe(0);
  }, 30_000);

  it("answers reload-agent by checking the new values: success, or 6 naming the parameter", async () => {
    const ok = await runAgentProcess(tsx, "reload-agent", {
      args,
      params: { name: "a", interval: 30 },
      timeoutMs: 20_000,
    });
    assertOcfResult(ok, { exitCode: OcfExit.SUCCESS, exitReason: null });
    const bad = await runAgentProcess(tsx, "reload-agent", {
      args,
      params: { name: "a", interval: 0 },
      timeoutMs: 20_000,
    });
    assertOcfResult(bad, { exitCode: OcfExit.ERR_CONFIGURED, exitReason: /interval/ });
  }, 30_000);

  it("clamps a CRM_meta_timeout past what a timer can wait (2^31 ms and more) instead of failing at once", async () => {
    for (const timeout of [2 ** 31, 2 ** 32 + 5, 10 ** 15]) {
      const result = await runAgentProcess(tsx, "start", {
        args,
        params: { name: "a" },
        meta: { timeout },
        timeoutMs: 20_000,
      });
      assertOcfResult(result, { exitCode: OcfExit.SUCCESS, exitReason: null });
      expect(result.stderr).not.toMatch(/TimeoutOverflowWarning|budget/);
    }
  }, 60_000);
});
