import { spawn } from "node:child_process";
import { E2eError } from "./errors.js";

/** What a finished command left behind. */
export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** Options of {@link runCommand}. */
export interface RunOptions {
  /** Kill the command after this many milliseconds (default 15 000). */
  readonly timeoutMs?: number;
  /** Extra environment variables, merged over the harness's own. */
  readonly env?: Readonly<Record<string, string>>;
  /** Written to the command's standard input. */
  readonly input?: string;
  /** Resolve with a non-zero exit status instead of throwing. */
  readonly allowFailure?: boolean;
  /** Working directory (default: the current one). */
  readonly cwd?: string;
}

const defaultTimeoutMs = 15_000;
// Keeps error messages readable when a tool prints a whole CIB.
const maxQuotedOutput = 600;

function quoteOutput(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > maxQuotedOutput ? `${trimmed.slice(0, maxQuotedOutput)}…` : trimmed;
}

/** Runs a command to completion without a shell; throws {@link E2eError} on failure or timeout. */
export function runCommand(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<CommandResult> {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const printable = [command, ...args].join(" ");
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { ...process.env, ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(
        new E2eError("COMMAND_FAILED", `cannot run ${printable}: ${error.message}`, {
          cause: error,
        }),
      );
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (timedOut) {
        reject(
          new E2eError("COMMAND_TIMEOUT", `${printable} did not finish within ${timeoutMs} ms`),
        );
        return;
      }
      const exitCode = code ?? (signal ? 128 : 1);
      if (exitCode !== 0 && !options.allowFailure) {
        reject(
          new E2eError(
            "COMMAND_FAILED",
            `${printable} exited with ${exitCode}${signal ? ` (${signal})` : ""}: ${quoteOutput(stderr || stdout)}`,
          ),
        );
        return;
      }
      resolve({ stdout, stderr, exitCode });
    });
    child.stdin.on("error", () => {
      // A command that exits without reading its input is not an error of ours.
    });
    child.stdin.end(options.input ?? "");
  });
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `probe` every `intervalMs` until it returns a value other than undefined, or throws on timeout. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  options: { timeoutMs: number; intervalMs?: number },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const why = lastError instanceof Error ? `; last error: ${lastError.message}` : "";
      throw new E2eError(
        "CLUSTER_TIMEOUT",
        `timed out after ${options.timeoutMs} ms waiting for ${what}${why}`,
        {
          cause: lastError,
        },
      );
    }
    await sleep(options.intervalMs ?? 200);
  }
}
