import { fileURLToPath } from "node:url";
import { it } from "vitest";
import { OcfExit } from "../src/index.js";
import { assertOcfResult, runAgentProcess } from "../src/testing.js";

const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));
const script = fileURLToPath(new URL("./hanging-agent.ts", import.meta.url));

it("runAgentMain exits at the deadline even though the action keeps the event loop alive", async () => {
  const result = await runAgentProcess(tsx, "start", {
    args: ["--conditions=@ocfkit/source", script],
    meta: { timeout: 2_000 },
    timeoutMs: 20_000,
  });
  assertOcfResult(result, {
    exitCode: OcfExit.ERR_GENERIC,
    exitReason: /start did not finish within its 1500 ms budget/,
  });
}, 30_000);
