import {
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { agentBundles } from "../../bundles.js";

const packageDir = fileURLToPath(new URL("../..", import.meta.url));
const packagesDir = join(packageDir, "..");
const cacheRoot = join(packageDir, "node_modules", ".cache", "ocivip-test");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(
      newest,
      entry.isDirectory() ? newestMtime(path) : Math.floor(statSync(path).mtimeMs),
    );
  }
  return newest;
}

/** The agent as it ships: bundled by tsup like `pnpm build` does, plus a bin-like runner. */
export interface BuiltAgent {
  /** The launcher module (exports `launch`), what `ocivip install` points at. */
  readonly entry: string;
  /** Runner script: `node runner.cjs <action>` behaves as the installed launcher. */
  readonly runner: string;
}

/**
 * Bundles the agent once per source change into node_modules/.cache (shared by test files; a
 * concurrent build loses the rename race harmlessly), so integration tests run what users run.
 */
export async function ensureAgentBuilt(): Promise<BuiltAgent> {
  const stamp = ["ocivip", "ocf", "iproute2", "oci-vnic"]
    .map((p) => newestMtime(join(packagesDir, p, "src")))
    .concat(
      [fileURLToPath(import.meta.url), join(packageDir, "bundles.ts")].map((f) =>
        Math.floor(statSync(f).mtimeMs),
      ),
    )
    .reduce((a, b) => Math.max(a, b));
  const out = join(cacheRoot, `build-${stamp}`);
  const result = { entry: join(out, "launch.cjs"), runner: join(out, "runner.cjs") };
  if (existsSync(result.runner)) return result;
  const temporary = `${out}.${process.pid}.${Date.now()}`;
  const { build } = await import("tsup");
  const shared = {
    config: false,
    outDir: temporary,
    target: "node20",
    platform: "node",
    silent: true,
    tsconfig: join(packageDir, "tsconfig.build.json"),
    // As tsup.config.ts: package.json's version fixed into the bundles.
    define: {
      __OCIVIP_VERSION__: JSON.stringify(
        JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")).version,
      ),
    },
  } as const;
  // The same runtime outputs as tsup.config.ts: the launcher and the agent's scripts.
  for (const bundle of agentBundles(temporary, packageDir)) await build({ ...shared, ...bundle });
  writeFileSync(
    join(temporary, "runner.cjs"),
    'const { launch } = require("./launch.cjs");\nlaunch(process.argv.slice(2)).then((status) => process.exit(status));\n',
  );
  try {
    renameSync(temporary, out);
  } catch {
    rmSync(temporary, { recursive: true, force: true });
  }
  return result;
}
