import { fileURLToPath } from "node:url";
import { parseDemoArgs, runDemo } from "./run-demo.js";

const outDir = fileURLToPath(new URL("../../.demo", import.meta.url));
process.exitCode = await runDemo(parseDemoArgs(process.argv.slice(2), outDir));
