import module from "node:module";
import { processIo, runCli } from "./cli-main.js";

// Node >= 22.1 caches compiled code between runs; absent on Node 20.
(module as { enableCompileCache?: () => void }).enableCompileCache?.();
process.exitCode = await runCli(process.argv.slice(2), processIo());
