import { chmod, mkdir, rename, rm, writeFile } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** Where and how `fence_oci install` puts the launcher Pacemaker's fencer runs. */
export interface InstallOptions {
  /** Directory the fencer runs `fence_*` agents from; default `/usr/sbin`. */
  sbinDir?: string | undefined;
  /** Absolute path of the node binary the launcher runs; default: the one running now. */
  nodePath?: string | undefined;
  /** Absolute path of the agent's command module; default: this package's `dist/cli.js`. */
  entry?: string | undefined;
}

/** What {@link installFenceAgent} wrote. */
export interface InstallResult {
  /** The launcher, e.g. `/usr/sbin/fence_oci`. */
  readonly path: string;
  /** The node binary recorded in it. */
  readonly nodePath: string;
  /** The module it loads. */
  readonly entry: string;
}

/** The launcher text: a CommonJS script with absolute paths (the fencer runs agents with a minimal PATH). */
export function renderLauncher(nodePath: string, entry: string): string {
  return [
    `#!${nodePath}`,
    "// ocfkit fence_oci launcher, written by `fence_oci install`.",
    'require("node:module").enableCompileCache?.();',
    `import(${JSON.stringify(pathToFileURL(entry).href)})`,
    "  .then((m) => m.main(process.argv.slice(2)))",
    "  .then((status) => process.exit(status));",
    "",
  ].join("\n");
}

/**
 * Installs the `fence_oci` launcher in `/usr/sbin` (or `sbinDir`), where Pacemaker's fencer finds
 * fence agents: `stonith_admin --list-installed` then lists it. Replaces an older launcher atomically.
 *
 * @example
 * ```ts
 * const { path } = await installFenceAgent();
 * ```
 */
export async function installFenceAgent(options: InstallOptions = {}): Promise<InstallResult> {
  const sbinDir = options.sbinDir ?? "/usr/sbin";
  const nodePath = options.nodePath ?? process.execPath;
  const entry = options.entry ?? fileURLToPath(new URL("./cli.js", import.meta.url));
  for (const [name, value] of [
    ["--sbin-dir", sbinDir],
    ["node path", nodePath],
    ["agent entry", entry],
  ] as const) {
    if (!isAbsolute(value)) throw new TypeError(`${name}: expected an absolute path, got ${value}`);
  }
  const path = join(sbinDir, "fence_oci");
  await mkdir(sbinDir, { recursive: true, mode: 0o755 });
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, renderLauncher(nodePath, entry), { mode: 0o755, flag: "wx" });
    await chmod(temporary, 0o755);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return { path, nodePath, entry };
}
