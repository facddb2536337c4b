import { lstat, mkdir, open, readFile, rename, rm, rmdir, unlink } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";
import { LAUNCHER_MARKER, launcherText } from "./runtime/launcher-text.js";
import { UsageError } from "./usage-error.js";

/** Where and how `ocivip install` puts the launcher Pacemaker runs. */
export interface InstallOptions {
  /** OCF provider directory name (`ocf:<provider>:ocivip`); default `ocfkit`. */
  provider?: string;
  /** OCF root; default `$OCF_ROOT` or `/usr/lib/ocf`. */
  ocfRoot?: string;
  /** Absolute path of the node binary the launcher runs; default: the one running now. */
  nodePath?: string;
  /** Absolute path of the agent's launcher module; default: this package's `dist/launch.cjs`. */
  entry?: string;
}

/** What `installAgent` wrote. */
export interface InstallResult {
  /** The launcher file, e.g. `/usr/lib/ocf/resource.d/ocfkit/ocivip`. */
  readonly path: string;
  /** The node binary recorded in it. */
  readonly nodePath: string;
  /** The bundled agent it loads. */
  readonly entry: string;
}

const providerPattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** The line every launcher `installAgent` writes carries: what `uninstallAgent` looks for. */
export { LAUNCHER_MARKER };

/** Where the launcher goes: `<ocfRoot>/resource.d/<provider>/ocivip`; checks both options. */
function launcherPath(options: Pick<InstallOptions, "provider" | "ocfRoot">): {
  dir: string;
  path: string;
} {
  const provider = options.provider ?? "ocfkit";
  if (!providerPattern.test(provider)) {
    throw new UsageError(
      `--provider: expected letters, digits, "_", "." or "-" (e.g. ocfkit), got ${JSON.stringify(provider)}`,
    );
  }
  const ocfRoot = options.ocfRoot ?? process.env.OCF_ROOT ?? "/usr/lib/ocf";
  if (!isAbsolute(ocfRoot)) {
    throw new UsageError(`--ocf-root: expected an absolute path, got ${ocfRoot}`);
  }
  const dir = join(ocfRoot, "resource.d", provider);
  return { dir, path: join(dir, "ocivip") };
}

/** The launcher text (see runtime/launcher-text.ts): it loads `entry`, and still stops the address without it. */
export function renderLauncher(nodePath: string, entry: string): string {
  return launcherText(nodePath, entry);
}

/**
 * Installs the `ocivip` launcher under `<ocfRoot>/resource.d/<provider>/` so that
 * `crm_resource --list-agents ocf:<provider>` lists it.
 *
 * @example
 * ```ts
 * const { path } = await installAgent({ provider: "ocfkit" });
 * ```
 */
export async function installAgent(options: InstallOptions = {}): Promise<InstallResult> {
  const { dir, path } = launcherPath(options);
  const nodePath = options.nodePath ?? process.execPath;
  const entry = options.entry ?? fileURLToPath(new URL("./launch.cjs", import.meta.url));
  for (const [name, value] of [
    ["node path", nodePath],
    ["agent entry", entry],
  ] as const) {
    if (!isAbsolute(value))
      throw new UsageError(`${name}: expected an absolute path, got ${value}`);
  }
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const temporary = `${path}.${process.pid}.tmp`;
  // wx: never through a file or link someone planted at the temporary name.
  const handle = await open(temporary, "wx", 0o755);
  try {
    await handle.writeFile(renderLauncher(nodePath, entry));
    await handle.chmod(0o755);
    await handle.sync();
    await handle.close();
    await rename(temporary, path);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temporary, { force: true });
    throw error;
  }
  return { path, nodePath, entry };
}

/** What `uninstallAgent` did. */
export interface UninstallResult {
  /** The launcher path looked at. */
  readonly path: string;
  /** False when nothing was installed there. */
  readonly removed: boolean;
}

/**
 * Removes the launcher {@link installAgent} wrote (and its provider directory when left empty).
 * Refuses, with an Error naming the path, anything it did not write: a symlink, a non-regular
 * file, or a file without the launcher's marker line.
 *
 * @example
 * ```ts
 * const { removed } = await uninstallAgent({ provider: "ocfkit" });
 * ```
 */
export async function uninstallAgent(
  options: Pick<InstallOptions, "provider" | "ocfRoot"> = {},
): Promise<UninstallResult> {
  const { dir, path } = launcherPath(options);
  let stats: Awaited<ReturnType<typeof lstat>>;
  try {
    stats = await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { path, removed: false };
    throw error;
  }
  const refuse = (why: string) =>
    new Error(`${path}: ${why}; not written by \`ocivip install\`, left in place`);
  if (!stats.isFile())
    throw refuse(stats.isSymbolicLink() ? "a symbolic link" : "not a regular file");
  if (stats.size > 64 * 1024) throw refuse(`${stats.size} bytes, larger than a launcher`);
  const lines = (await readFile(path, "utf8")).split("\n");
  if (!lines[0]?.startsWith("#!/") || lines[1] !== LAUNCHER_MARKER) {
    throw refuse("no launcher marker");
  }
  await unlink(path);
  await rmdir(dir).catch(() => undefined); // only when empty: other agents may live there
  return { path, removed: true };
}
