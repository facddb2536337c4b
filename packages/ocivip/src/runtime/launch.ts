import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type LoadedBundle, loadBundle } from "./code-cache.js";
import { FILES, openResourceDir } from "./files.js";
import { quickMonitor } from "./quick.js";

/** What the agent bundle (`dist/agent.cjs`) exports. */
interface AgentBundle {
  main(argv: readonly string[]): Promise<number>;
}

/** The request the agent bundle makes for its cloud side (see bundles.ts). */
const CLOUD_REQUEST = "./cloud.cjs";

/**
 * The launcher every action starts in (bin/ocivip.js and the installed OCF launcher load it):
 * a plain `monitor` first tries the quick path (quick.ts), which answers "running" from the
 * state file and one `ip` listing without loading the agent; otherwise it loads the agent
 * bundle, and the agent loads the cloud side when an action calls the API. Both bundles run with
 * a content-bound V8 code cache from the resource's private directory (code-cache.ts); a
 * refused directory means no cache and no quick path (the agent logs why).
 */
export async function launch(
  argv: readonly string[],
  bundleDir = dirname(fileURLToPath(import.meta.url)),
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const opened = openResourceDir(env);
  const dir = opened.ok ? opened.dir : undefined;
  if (argv.length === 1 && argv[0] === "monitor" && quickMonitor({ dir, env }).healthy) return 0;
  const loaded: LoadedBundle[] = [];
  const agentFile = join(bundleDir, "agent.cjs");
  let cloud: LoadedBundle | undefined;
  const agentRequire = (file: string): NodeJS.Require => {
    const real = createRequire(file);
    return Object.assign((id: string) => {
      if (id !== CLOUD_REQUEST) return real(id);
      if (cloud === undefined) {
        cloud = loadBundle(join(bundleDir, "cloud.cjs"), dir, FILES.cloudCodeCache);
        loaded.push(cloud);
      }
      return cloud.exports;
    }, real);
  };
  const agent = loadBundle(agentFile, dir, FILES.agentCodeCache, agentRequire);
  loaded.push(agent);
  const status = await (agent.exports as AgentBundle).main(argv);
  for (const bundle of loaded) bundle.save();
  return status;
}
