import * as z from "zod/mini";
import { defineAgent, OcfExit, ocfParam, runAgentMain } from "../src/index.js";

// An agent with a reloadable parameter and no reload-agent handler of its own (the framework
// answers it), and a start that takes 300 ms: long enough to notice a deadline firing at once.
const reloadableAgent = defineAgent({
  name: "reloadable",
  version: "1.0.0",
  shortdesc: "Has a reloadable parameter",
  parameters: z.object({
    name: ocfParam(z.string(), { shortdesc: "Identity", required: true, unique: true }),
    interval: ocfParam(z._default(z.int().check(z.minimum(1)), 5), {
      shortdesc: "Seconds between checks",
      reloadable: true,
    }),
  }),
  actions: {
    start: () => new Promise<void>((resolve) => setTimeout(resolve, 300)),
    stop: () => undefined,
    monitor: () => OcfExit.NOT_RUNNING,
  },
});

runAgentMain(reloadableAgent);
