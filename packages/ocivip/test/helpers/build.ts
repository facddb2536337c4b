import { existsSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

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
    .reduce((a, b) => Math.max(a, b), Math.floor(statSync(fileURLToPath(import.meta.url)).mtimeMs));
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
  } as const;
  // The same two runtime outputs as tsup.config.ts: the one-file agent and its launcher.
  await build({
    ...shared,
    entry: { agent: join(packageDir, "src", "cli.ts") },
    format: ["cjs"],
    outExtension: () => ({ js: ".cjs" }),
    minify: true,
    shims: true,
    noExternal: [/^@ocfkit\//, "zod"],
    external: ["oci-core", "oci-common"],
    esbuildOptions(options) {
      options.conditions = ["@ocfkit/source"];
      options.supported = { ...options.supported, "dynamic-import": false };
    },
  });
  await build({
    ...shared,
    entry: { launch: join(packageDir, "src", "launch.ts") },
    format: ["cjs"],
    outExtension: () => ({ js: ".cjs" }),
    shims: true,
  });
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
