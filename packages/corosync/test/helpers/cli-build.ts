import { execFile } from "node:child_process";
import { existsSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const packageDir = fileURLToPath(new URL("../..", import.meta.url));
const cacheRoot = join(packageDir, "node_modules", ".cache", "corosync-cli-test");

/** package.json's version, what `--version` must print. */
export const packageVersion = (
  JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { version: string }
).version;

/**
 * Bundles `src/cli.ts` as `pnpm build` does (tsup, the version defined), once per test process,
 * inside the package so `zod` resolves: the tests then run the CLI as users do, a new process
 * per call, without tsx's start-up cost.
 */
export async function buildCli(): Promise<string> {
  const out = join(cacheRoot, `cli-${process.pid}`);
  const entry = join(out, "cli.js");
  if (existsSync(entry)) return entry;
  const temporary = `${out}.tmp`;
  const { build } = await import("tsup");
  await build({
    config: false,
    entry: { cli: join(packageDir, "src", "cli.ts") },
    format: ["esm"],
    outDir: temporary,
    target: "node20",
    platform: "node",
    silent: true,
    tsconfig: join(packageDir, "tsconfig.json"),
    define: { __OCFKIT_COROSYNC_VERSION__: JSON.stringify(packageVersion) },
    banner: { js: "#!/usr/bin/env node" },
  });
  renameSync(temporary, out);
  return entry;
}

/** Removes this process's build. */
export function removeCliBuild(): void {
  rmSync(join(cacheRoot, `cli-${process.pid}`), { recursive: true, force: true });
}

/** What one run of the CLI process gave. */
export interface CliRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a new process (killed after `timeoutMs`: a hang shows as a signal). */
export function runCliProcess(
  entry: string,
  args: readonly string[],
  options: { input?: string; timeoutMs?: number } = {},
): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [entry, ...args],
      { timeout: options.timeoutMs ?? 20_000, maxBuffer: 64 * 1024 * 1024, encoding: "utf8" },
      (error, stdout, stderr) => {
        const e = error as (Error & { code?: unknown; signal?: NodeJS.Signals }) | null;
        resolve({
          status: e ? (typeof e.code === "number" ? e.code : null) : 0,
          signal: e?.signal ?? null,
          stdout,
          stderr,
        });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}
