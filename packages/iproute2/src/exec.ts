import { spawn } from "node:child_process";
import {
  type CommandDetails,
  formatCommand,
  IprouteError,
  type IprouteErrorCode,
} from "./errors.js";

/** Per-call options every operation accepts. */
export interface CallOptions {
  /** Cancel the operation; the running command is killed and the call rejects with `ABORTED`. */
  signal?: AbortSignal;
  /** Override the instance's per-command time limit for this call, in milliseconds. */
  timeoutMs?: number;
}

/** What a finished command left behind. */
export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** How to run one program: time limit, cancellation, and which code means "not installed". */
export interface RunOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
  readonly notInstalledCode: IprouteErrorCode;
  /** Text written to the command's stdin (e.g. `ip -batch -` lines); stdin is closed when absent. */
  readonly input?: string | undefined;
}

// Grace period between SIGTERM and SIGKILL for a command past its deadline.
const killGraceMs = 500;

/**
 * Runs `file args...` without a shell and resolves with its output whatever the exit status; rejects
 * only when it cannot start (`notInstalledCode`), times out (`TIMEOUT`) or is aborted (`ABORTED`).
 */
export function runCommand(
  file: string,
  args: readonly string[],
  options: RunOptions,
): Promise<CommandResult> {
  const argv = [file, ...args];
  const { signal, timeoutMs } = options;
  if (signal?.aborted) {
    return Promise.reject(abortedError(argv, signal));
  }
  return new Promise<CommandResult>((resolve, reject) => {
    const stdin = options.input === undefined ? "ignore" : "pipe";
    // The C locale keeps `ip` messages in English, which the stderr classification relies on.
    const env = { ...process.env, LC_ALL: "C" };
    const child = spawn(file, args, { stdio: [stdin, "pipe", "pipe"], env });
    if (options.input !== undefined && child.stdin) {
      // A command that exits without reading its input must not crash us with EPIPE.
      child.stdin.on("error", () => undefined);
      child.stdin.end(options.input);
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outcome: "timeout" | "aborted" | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (why: "timeout" | "aborted"): void => {
      outcome ??= why;
      child.kill("SIGTERM");
      killTimer ??= setTimeout(() => child.kill("SIGKILL"), killGraceMs);
    };
    const timer = setTimeout(() => stop("timeout"), timeoutMs);
    const onAbort = (): void => stop("aborted");
    signal?.addEventListener("abort", onAbort, { once: true });
    const cleanup = (): void => {
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      signal?.removeEventListener("abort", onAbort);
    };
    child.stdout?.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr?.on("data", (chunk: Buffer) => err.push(chunk));
    child.once("error", (error: NodeJS.ErrnoException) => {
      cleanup();
      const missing = error.code === "ENOENT" || error.code === "EACCES";
      const code = missing ? options.notInstalledCode : "COMMAND_FAILED";
      const hint = missing ? " (is it installed and executable?)" : "";
      reject(
        new IprouteError(code, `cannot run ${file}: ${error.message}${hint}`, { cause: error }),
      );
    });
    child.once("close", (exitCode, killSignal) => {
      cleanup();
      const stderr = Buffer.concat(err).toString("utf8").trim();
      const details: CommandDetails = { command: argv, exitCode, stderr };
      if (outcome === "timeout") {
        const message = `${formatCommand(argv)} did not finish within ${timeoutMs} ms and was killed`;
        reject(new IprouteError("TIMEOUT", message, { details }));
        return;
      }
      if (outcome === "aborted" && signal) {
        reject(abortedError(argv, signal));
        return;
      }
      const stdout = Buffer.concat(out).toString("utf8");
      resolve({ stdout, stderr, exitCode: exitCode ?? (killSignal ? 128 : 1) });
    });
  });
}

function abortedError(argv: readonly string[], signal: AbortSignal): IprouteError {
  return new IprouteError("ABORTED", `${formatCommand(argv)} was aborted`, {
    cause: signal.reason,
  });
}

/** Sleeps `ms`, rejecting with `ABORTED` when the signal fires first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new IprouteError("ABORTED", "wait was aborted", { cause: signal.reason }));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new IprouteError("ABORTED", "wait was aborted", { cause: signal?.reason }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Starts `file args...` detached (its own process group, no stdio), so it outlives the caller,
 * and resolves with its PID once it runs; rejects with `notInstalledCode` when it cannot start.
 */
export function spawnDetached(
  file: string,
  args: readonly string[],
  notInstalledCode: IprouteErrorCode,
): Promise<{ pid: number }> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, LC_ALL: "C" };
    const child = spawn(file, args, { stdio: "ignore", detached: true, env });
    child.once("error", (error: NodeJS.ErrnoException) => {
      const missing = error.code === "ENOENT" || error.code === "EACCES";
      const code = missing ? notInstalledCode : "COMMAND_FAILED";
      const hint = missing ? " (is it installed and executable?)" : "";
      reject(
        new IprouteError(code, `cannot run ${file}: ${error.message}${hint}`, { cause: error }),
      );
    });
    child.once("spawn", () => {
      child.unref();
      resolve({ pid: child.pid! });
    });
  });
}
