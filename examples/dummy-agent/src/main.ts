import { runAgentMain } from "@ocfkit/ocf";
import { dummyAgent } from "./agent.js";

runAgentMain(dummyAgent);
