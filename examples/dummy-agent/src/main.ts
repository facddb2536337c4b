import { runAgent } from "@ocfkit/ocf";
import { dummyAgent } from "./agent.js";

process.exitCode = await runAgent(dummyAgent);
