import { runAgent } from "@ocfkit/ocf";
import { dummyAgent } from "./agent.js";

// No top-level await: this entry is bundled to CommonJS (see ../../tsup.config.ts).
void runAgent(dummyAgent).then((code) => {
  process.exitCode = code;
});
