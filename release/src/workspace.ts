import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository this test runs from. */
export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

/** A published package of the repository: name, version, directory. */
export interface WorkspacePackage {
  readonly name: string;
  readonly version: string;
  readonly dir: string;
}

/** The non-private packages under `<root>/packages`. */
export function publicPackages(root: string): WorkspacePackage[] {
  return readdirSync(join(root, "packages"))
    .map((name) => join(root, "packages", name))
    .filter((dir) => {
      try {
        return !JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).private;
      } catch {
        return false;
      }
    })
    .map((dir) => {
      const m = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
        name: string;
        version: string;
      };
      return { name: m.name, version: m.version, dir };
    });
}

/**
 * Copies the repository's files (tracked, and untracked ones that are not ignored: the work as it
 * is, without node_modules, builds or .git) to `dest`.
 */
export function copyRepository(dest: string): void {
  mkdirSync(dest, { recursive: true });
  const files = execFileSync(
    "git",
    ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    {
      cwd: repoRoot,
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const existing = files
    .toString("utf8")
    .split("\0")
    .filter((f) => f !== "" && spawnSync("test", ["-e", join(repoRoot, f)]).status === 0);
  execFileSync("tar", ["--null", "-T", "-", "-cf", join(dest, ".copy.tar")], {
    cwd: repoRoot,
    input: `${existing.join("\0")}\0`,
  });
  execFileSync("tar", ["-xf", ".copy.tar"], { cwd: dest });
  execFileSync("rm", ["-f", join(dest, ".copy.tar")]);
}

/** Runs a command, failing with its output when it fails. */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: Record<string, string>; input?: string; timeoutMs?: number },
): string {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env,
    input: options.input,
    encoding: "utf8",
    timeout: options.timeoutMs ?? 600_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} (in ${options.cwd}) exited ${result.status ?? result.signal}\n` +
        `${result.stdout.slice(-4000)}\n${result.stderr.slice(-4000)}`,
    );
  }
  return result.stdout;
}
