import * as z from "zod/mini";
import { defineAgent, ocfParam, runAgentMain } from "../src/index.js";

// An agent whose start never settles and keeps the event loop busy: only the deadline ends it.
const hangingAgent = defineAgent({
  name: "hanging",
  version: "1.0.0",
  shortdesc: "Hangs in start",
  parameters: z.object({ x: ocfParam(z.optional(z.string()), { shortdesc: "Unused" }) }),
  actions: {
    start: () => new Promise(() => setInterval(() => undefined, 1_000)),
  },
});

runAgentMain(hangingAgent);
