import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadBundle } from "./code-cache.js";
import { FILES, openResourceDir } from "./files.js";
import { quickMonitor } from "./quick.js";

/** What the agent bundle (`dist/agent.cjs`) exports. */
interface AgentBundle {
  main(argv: readonly string[]): Promise<number>;
}

/**
 * The launcher every action starts in (bin/ocivip.js and the installed OCF launcher load it):
 * a plain `monitor` first tries the quick path (quick.ts), which answers "running" from the
 * state file and one `ip` listing without loading the agent; otherwise it loads the agent
 * bundle (with a content-bound V8 code cache from the resource's private directory:
 * code-cache.ts), and the agent requires its cloud side (dist/cloud.cjs, on @ocfkit/oci-vnic as
 * it ships) when an action calls the API. A refused directory means no cache and no quick path
 * (the agent logs why).
 */
export async function launch(
  argv: readonly string[],
  bundleDir = dirname(fileURLToPath(import.meta.url)),
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  // Not for meta-data, install, doctor...: only an action on a resource gets its directory.
  const onResource = ["start", "stop", "monitor", "reload", "validate-all", "warm"].includes(
    argv[0] ?? "",
  );
  const opened = onResource ? openResourceDir(env) : undefined;
  const dir = opened?.ok ? opened.dir : undefined;
  if (argv.length === 1 && argv[0] === "monitor" && quickMonitor({ dir, env }).healthy) return 0;
  const agent = loadBundle(join(bundleDir, "agent.cjs"), dir, FILES.agentCodeCache);
  const status = await (agent.exports as AgentBundle).main(argv);
  agent.save();
  return status;
}
