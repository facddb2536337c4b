import { accessSync, constants, readFileSync } from "node:fs";
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

/** True when `tool` exists: an absolute path (executable, or readable for data), or a PATH name. */
export function hasTool(tool: string, path = process.env.PATH ?? ""): boolean {
  if (tool.startsWith("/"))
    return present(tool, /\.(dtd|rng)$/.test(tool) ? constants.R_OK : constants.X_OK);
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

/** Refuses to run the suite on a machine that lacks what the tests need, before any test starts. */
export function setup(): void {
  const message = missingToolsMessage(systemTools());
  if (message) throw new Error(message);
  if (process.getuid?.() !== 0) {
    throw new Error("the tests create network namespaces and start Pacemaker: run them as root");
  }
}
