import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import * as nodeModule from "node:module";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Script } from "node:vm";
import { installModuleCodeCache, type ModuleCodeCache } from "./module-cache.js";
import { agentDir, quickMonitor } from "./quick-monitor.js";

/** What the bundled agent (`dist/agent.cjs`) exports. */
interface BundledAgent {
  main(argv: readonly string[]): Promise<number>;
}

/** The directory the V8 code cache goes in: root's, cleared at boot like all of HA_RSCTMP. */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return agentDir(env);
}

function tryRead(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Loads the bundled agent as a classic script with a V8 code cache, then runs it. Every action is
 * a new process and Node 20 has no `module.enableCompileCache`: reusing compiled code saves most
 * of the bundle's start-up cost (and, for the OCI SDK's CommonJS files, part of theirs). The
 * cache lives in a root-only directory, is keyed by Node version and bundle identity, and V8
 * itself rejects a stale one; any failure just runs without it.
 *
 * A plain `monitor` first tries the quick path (src/quick-monitor.ts): when the agent's ticket says
 * no cloud check is due and `ip` shows the address where it was, it answers 0 without loading the
 * agent at all; in every other case the agent runs and decides.
 */
export async function launch(
  argv: readonly string[],
  bundle = join(dirname(fileURLToPath(import.meta.url)), "agent.cjs"),
  dir = codeCacheDir(),
): Promise<number> {
  if (argv.length === 1 && argv[0] === "monitor" && quickMonitor().healthy) return 0;
  const source = readFileSync(bundle, "utf8");
  const stat = statSync(bundle);
  // A plain key, no hash: loading node:crypto costs a quick monitor more than it is worth.
  const key =
    `${process.version}-${process.arch}-${stat.ino}-${stat.size}-${Math.floor(stat.mtimeMs)}`.replace(
      /[^\w.-]/g,
      "_",
    );
  const cacheFile = join(dir, `agent-${key}.v8cache`);
  const cachedData = tryRead(cacheFile);
  let modules: ModuleCodeCache | undefined;
  // Node >= 22.1 caches dependencies itself (module.enableCompileCache, called by the launchers).
  if (!("enableCompileCache" in nodeModule)) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      modules = installModuleCodeCache(join(dir, `modules-${process.version}.v8cache`), [
        join(dirname(bundle), "cloud.cjs"),
      ]);
    } catch {
      modules = undefined;
    }
  }
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname) {${source}\n})`,
    { filename: bundle, ...(cachedData ? { cachedData } : {}) },
  );
  const module = { exports: {} as BundledAgent };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  const status = await module.exports.main(argv);
  try {
    modules?.save();
  } catch {
    // the dependencies' cache is an optimisation only
  }
  if (cachedData === undefined || script.cachedDataRejected) {
    // After the run, so functions compiled lazily during it are in the cache too.
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const temporary = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
      renameSync(temporary, cacheFile);
      for (const old of readdirSync(dir)) {
        if (/^agent-[\w.-]+\.v8cache$/.test(old) && join(dir, old) !== cacheFile) {
          rmSync(join(dir, old), { force: true });
        }
      }
    } catch {
      // No cache this time (read-only or not root): correctness does not depend on it.
    }
  }
  return status;
}
