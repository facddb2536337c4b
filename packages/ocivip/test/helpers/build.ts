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
  /** Bundled entry (exports `main`). */
  readonly entry: string;
  /** Runner script: `node runner.mjs <action>` behaves as `bin/ocivip.js`. */
  readonly runner: string;
}

/**
 * Bundles the agent once per source change into node_modules/.cache (shared by test files; a
 * concurrent build loses the rename race harmlessly), so integration tests run what users run.
 */
export async function ensureAgentBuilt(): Promise<BuiltAgent> {
  const stamp = ["ocivip", "ocf", "iproute2", "oci-vnic"]
    .map((p) => newestMtime(join(packagesDir, p, "src")))
    .reduce((a, b) => Math.max(a, b), 0);
  const out = join(cacheRoot, `build-${stamp}`);
  const result = { entry: join(out, "cli.js"), runner: join(out, "runner.mjs") };
  if (existsSync(result.runner)) return result;
  const temporary = `${out}.${process.pid}.${Date.now()}`;
  const { build } = await import("tsup");
  await build({
    config: false,
    entry: { cli: join(packageDir, "src", "cli.ts") },
    outDir: temporary,
    format: ["esm"],
    target: "node20",
    platform: "node",
    splitting: true,
    minify: true,
    treeshake: true,
    silent: true,
    noExternal: [/^@ocfkit\//, "zod"],
    external: ["oci-core", "oci-common"],
    tsconfig: join(packageDir, "tsconfig.build.json"),
    esbuildOptions(options) {
      options.conditions = ["@ocfkit/source"];
    },
  });
  writeFileSync(
    join(temporary, "runner.mjs"),
    'const { main } = await import("./cli.js");\nprocess.exit(await main(process.argv.slice(2)));\n',
  );
  try {
    renameSync(temporary, out);
  } catch {
    rmSync(temporary, { recursive: true, force: true });
  }
  return result;
}
