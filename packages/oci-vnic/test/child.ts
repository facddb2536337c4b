import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const pkgDir = fileURLToPath(new URL("..", import.meta.url));

/** What a child agent process left: its output, exit status, and how long it outlived its output. */
export interface ChildRun {
  stdout: string;
  stderr: string;
  status: number | null;
  lingerMs: number;
}

/**
 * Runs test/child-agent.ts as a new process (the way an agent runs: one process, one call) with
 * `config` (see that file) and extra environment variables.
 */
export function runChild(config: object, env: Record<string, string> = {}): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--conditions=@ocfkit/source", join(pkgDir, "test/child-agent.ts")],
      { cwd: pkgDir, env: { ...process.env, ...env, OCI_VNIC_CHILD: JSON.stringify(config) } },
    );
    let stdout = "";
    let stderr = "";
    let lastOutput = Date.now();
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      lastOutput = Date.now();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", reject);
    child.on("exit", (status) =>
      resolve({ stdout, stderr, status, lingerMs: Date.now() - lastOutput }),
    );
  });
}
