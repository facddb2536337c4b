import { chmod, mkdir, rename, rm, writeFile } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";
import { launcherText } from "./runtime/launcher-text.js";

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
  const provider = options.provider ?? "ocfkit";
  if (!providerPattern.test(provider)) {
    throw new TypeError(
      `--provider: expected letters, digits, "_", "." or "-" (e.g. ocfkit), got ${JSON.stringify(provider)}`,
    );
  }
  const ocfRoot = options.ocfRoot ?? process.env.OCF_ROOT ?? "/usr/lib/ocf";
  const nodePath = options.nodePath ?? process.execPath;
  const entry = options.entry ?? fileURLToPath(new URL("./launch.cjs", import.meta.url));
  for (const [name, value] of [
    ["--ocf-root", ocfRoot],
    ["node path", nodePath],
    ["agent entry", entry],
  ] as const) {
    if (!isAbsolute(value)) throw new TypeError(`${name}: expected an absolute path, got ${value}`);
  }
  const dir = join(ocfRoot, "resource.d", provider);
  const path = join(dir, "ocivip");
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, renderLauncher(nodePath, entry), { mode: 0o755 });
    await chmod(temporary, 0o755);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return { path, nodePath, entry };
}
