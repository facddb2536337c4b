import { accessSync, chmodSync, constants, lstatSync, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";

/** One system program the suite runs, and the Debian package that provides it. */
export interface SystemTool {
  /** A program name looked up on PATH (plus /usr/sbin, /sbin), or an absolute path. */
  readonly tool: string;
  readonly package: string;
  readonly for: string;
}

/** The list `scripts/setup.sh` installs from: the single source of what the tests need. */
export function systemTools(): SystemTool[] {
  const file = new URL("./system-tools.json", import.meta.url);
  return (JSON.parse(readFileSync(file, "utf8")) as { tools: SystemTool[] }).tools;
}

function present(path: string, mode: number): boolean {
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
}

/** True when `tool` exists: an absolute path (a program executable, a data file readable), or a PATH name. */
export function hasTool(tool: string, path = process.env.PATH ?? ""): boolean {
  if (tool.startsWith("/")) {
    const program = /\/(s?bin|libexec|resource\.d)\//.test(tool);
    return present(tool, program ? constants.X_OK : constants.R_OK);
  }
  const dirs = [...path.split(delimiter), "/usr/sbin", "/sbin"].filter(Boolean);
  return dirs.some((dir) => present(join(dir, tool), constants.X_OK));
}

/** Names every missing tool with its package, or returns undefined when all are there. */
export function missingToolsMessage(tools: SystemTool[], has = hasTool): string | undefined {
  const missing = tools.filter((t) => !has(t.tool));
  if (missing.length === 0) return undefined;
  const pkgs = [...new Set(missing.map((t) => t.package))].join(" ");
  const lines = missing.map((t) => `  ${t.tool} (package ${t.package}; used by ${t.for})`);
  return `missing system tools:\n${lines.join("\n")}\nInstall them: apt-get install -y ${pkgs} (or run: bash scripts/setup.sh)`;
}

/** Shared directories of the host that the suite must leave exactly as it found them. */
export const hostDirs = ["/tmp", "/var/tmp", "/dev/shm", "/run/lock"] as const;

/** Mode (permission bits with sticky/setgid), owner and group of each directory that exists. */
export function snapshotDirs(dirs: readonly string[]): Map<string, string> {
  const seen = new Map<string, string>();
  for (const dir of dirs) {
    try {
      const st = lstatSync(dir);
      seen.set(dir, `${(st.mode & 0o7777).toString(8).padStart(4, "0")} ${st.uid}:${st.gid}`);
    } catch {
      // Not on this machine: nothing to keep.
    }
  }
  return seen;
}

/**
 * What changed between two snapshots, one line per directory; the modes are put back (a test
 * that turned /tmp into 0755 breaks apt and every other user of the machine).
 */
export function restoreDirs(
  before: Map<string, string>,
  after: Map<string, string>,
  chmod: (dir: string, mode: number) => void = chmodSync,
): string[] {
  const changed: string[] = [];
  for (const [dir, was] of before) {
    const now = after.get(dir);
    if (now === was) continue;
    changed.push(`  ${dir}: was ${was}, now ${now ?? "missing"}`);
    if (now !== undefined) chmod(dir, Number.parseInt(was.split(" ")[0]!, 8));
  }
  return changed;
}

/** Refuses to run the suite on a machine that lacks what the tests need, before any test starts. */
export function setup(): () => void {
  const message = missingToolsMessage(systemTools());
  if (message) throw new Error(message);
  if (process.getuid?.() !== 0) {
    throw new Error("the tests create network namespaces and start Pacemaker: run them as root");
  }
  const before = snapshotDirs(hostDirs);
  // Teardown: the suite runs as root, so it checks it left the host's shared directories alone.
  return () => {
    const changed = restoreDirs(before, snapshotDirs(hostDirs));
    if (changed.length > 0) {
      // Vitest reports an error thrown here but still exits 0: fail the run ourselves.
      process.exitCode = 1;
      throw new Error(
        `the tests changed shared directories of this machine (modes put back):\n${changed.join("\n")}`,
      );
    }
  };
}
