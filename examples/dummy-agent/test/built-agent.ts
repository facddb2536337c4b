import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Absolute path of the executable example agent. */
export const agentBin = fileURLToPath(new URL("../bin/dummy-agent", import.meta.url));

const builtMain = fileURLToPath(new URL("../dist/main.cjs", import.meta.url));

/** Builds the example agent when its bundle is missing (CI builds everything before testing). */
export function ensureBuilt(): void {
  if (existsSync(builtMain)) return;
  execFileSync("pnpm", ["--filter", "@ocfkit/examples", "build"], { stdio: "inherit" });
}
