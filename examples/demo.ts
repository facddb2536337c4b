// `pnpm demo`: the tutorial's proof, automated on this machine. A real two-node Corosync +
// Pacemaker cluster in network namespaces holds a floating IP (ocf:ocfkit:ocivip against the
// embedded OCI emulator, or --agent IPaddr2); node1 is switched off; the IP answers from node2.
// `pnpm demo --compare` does it with IPaddr2 and with ocivip and writes one report of both.
// Needs root. Writes .demo/last-run.json and .demo/report.html. Touches nothing outside the
// namespaces it creates (TEST-NET addresses only) and removes them, even on Ctrl-C.
import { fileURLToPath } from "node:url";
import { type DemoOptions, parseDemoArgs, runDemo } from "./demo/run-demo.js";

const outDir = fileURLToPath(new URL("../.demo", import.meta.url));
let options: DemoOptions | undefined;
try {
  options = parseDemoArgs(process.argv.slice(2), outDir);
} catch (error) {
  console.error(`${(error as Error).message}\n(pnpm demo --help lists the options)`);
  process.exitCode = 2;
}
if (options) process.exitCode = await runDemo(options);
