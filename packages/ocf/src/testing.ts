import { AssertionError } from "node:assert";
import { spawn } from "node:child_process";
import type { Agent } from "./agent.js";
import { type OcfExitName, ocfExitName } from "./exit-codes.js";
import type { ParametersSchema } from "./params.js";
import { EXIT_REASON_PREFIX, runAgent } from "./run.js";

/** What one agent run produced. */
export interface OcfRunResult {
  /** The exit code. */
  readonly exitCode: number;
  /** Its OCF name, e.g. `"ERR_CONFIGURED"`, when it is an OCF code. */
  readonly exitName: OcfExitName | undefined;
  /** Everything written to stdout. */
  readonly stdout: string;
  /** Everything written to stderr. */
  readonly stderr: string;
  /** The text after `ocf-exit-reason:` (last such line), if any. */
  readonly exitReason: string | undefined;
}

/** How to build the environment of a test run. */
export interface OcfTestEnv {
  /** Parameter values, passed as `OCF_RESKEY_<name>` (undefined entries are left out). */
  readonly params?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** `OCF_RESKEY_CRM_meta_<name>` values, e.g. `{ interval: 0, timeout: 20000 }`. */
  readonly meta?: Readonly<Record<string, string | number | boolean>>;
  /** `OCF_RESOURCE_INSTANCE` (default `"test"`). */
  readonly instance?: string;
  /** `HA_RSCTMP` (state directory). */
  readonly rscTmp?: string;
  /** `OCF_CHECK_LEVEL`. */
  readonly checkLevel?: number;
  /** Any other variables, applied last. */
  readonly env?: Readonly<Record<string, string>>;
}

/** Builds an OCF environment (`OCF_ROOT`, `OCF_RESOURCE_INSTANCE`, `OCF_RESKEY_*`, ...) for a test. */
export function buildOcfEnv(options: OcfTestEnv = {}): Record<string, string> {
  const env: Record<string, string> = {
    OCF_ROOT: "/usr/lib/ocf",
    OCF_RESOURCE_INSTANCE: options.instance ?? "test",
  };
  for (const [name, value] of Object.entries(options.params ?? {})) {
    if (value !== undefined) env[`OCF_RESKEY_${name}`] = String(value);
  }
  for (const [name, value] of Object.entries(options.meta ?? {})) {
    env[`OCF_RESKEY_CRM_meta_${name}`] = String(value);
  }
  if (options.rscTmp !== undefined) env.HA_RSCTMP = options.rscTmp;
  if (options.checkLevel !== undefined) env.OCF_CHECK_LEVEL = String(options.checkLevel);
  return { ...env, ...options.env };
}

function toResult(exitCode: number, stdout: string, stderr: string): OcfRunResult {
  const reasons = stderr
    .split("\n")
    .filter((line) => line.startsWith(EXIT_REASON_PREFIX))
    .map((line) => line.slice(EXIT_REASON_PREFIX.length));
  return { exitCode, exitName: ocfExitName(exitCode), stdout, stderr, exitReason: reasons.at(-1) };
}

/**
 * Runs one action of an agent in this process with a hermetic environment (nothing inherited
 * from `process.env`) and captures its output.
 *
 * @example
 * ```ts
 * const result = await runAction(agent, "validate-all", { params: { op_sleep: "abc" } });
 * assertOcfResult(result, { exitCode: OcfExit.ERR_CONFIGURED, exitReason: /op_sleep/ });
 * ```
 */
export async function runAction<S extends ParametersSchema>(
  agent: Agent<S>,
  action: string,
  options: OcfTestEnv = {},
): Promise<OcfRunResult> {
  let stdout = "";
  let stderr = "";
  const exitCode = await runAgent(agent, {
    argv: [action],
    env: buildOcfEnv(options),
    stdout: {
      write: (text: string) => {
        stdout += text;
      },
    },
    stderr: {
      write: (text: string) => {
        stderr += text;
      },
    },
  });
  return toResult(exitCode, stdout, stderr);
}

/** Options of {@link runAgentProcess}. */
export interface OcfProcessOptions extends OcfTestEnv {
  /** Arguments before the action (e.g. a script path when `command` is `node`). */
  readonly args?: readonly string[];
  /** Kill the process after this many ms (default 30000). */
  readonly timeoutMs?: number;
  /** Pass the test's `PATH` on (default true; `logger` and tools need it). */
  readonly inheritPath?: boolean;
}

/**
 * Runs an agent executable as a new process, as Pacemaker would, and captures its output.
 *
 * @example
 * ```ts
 * const result = await runAgentProcess("examples/dummy-agent/bin/dummy-agent", "meta-data");
 * ```
 */
export function runAgentProcess(
  command: string,
  action: string,
  options: OcfProcessOptions = {},
): Promise<OcfRunResult> {
  const env = buildOcfEnv(options);
  if (options.inheritPath !== false && process.env.PATH) env.PATH ??= process.env.PATH;
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...(options.args ?? []), action], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
      timeout: options.timeoutMs ?? 30_000,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code === null) {
        reject(new Error(`${command} ${action} was killed by ${signal}; stderr: ${stderr}`));
        return;
      }
      resolve(toResult(code, stdout, stderr));
    });
  });
}

/** What {@link assertOcfResult} checks; omitted fields are not checked. */
export interface OcfExpectation {
  /** Expected exit code. */
  readonly exitCode?: number;
  /** Expected exit reason (`null`: there must be none). */
  readonly exitReason?: string | RegExp | null;
  /** Expected stdout (exact string or pattern). */
  readonly stdout?: string | RegExp;
  /** Pattern stderr must match. */
  readonly stderr?: RegExp;
}

function matches(actual: string | undefined, expected: string | RegExp): boolean {
  if (actual === undefined) return false;
  return typeof expected === "string" ? actual === expected : expected.test(actual);
}

/**
 * Asserts a run's exit code, exit reason and output; throws an AssertionError showing what the
 * agent printed. Works with any test runner.
 */
export function assertOcfResult(result: OcfRunResult, expected: OcfExpectation): void {
  const problems: string[] = [];
  if (expected.exitCode !== undefined && result.exitCode !== expected.exitCode) {
    problems.push(
      `exit code ${result.exitCode} (${result.exitName}), expected ${expected.exitCode} (${ocfExitName(expected.exitCode)})`,
    );
  }
  if (expected.exitReason === null && result.exitReason !== undefined) {
    problems.push(`unexpected exit reason ${JSON.stringify(result.exitReason)}`);
  } else if (expected.exitReason != null && !matches(result.exitReason, expected.exitReason)) {
    problems.push(
      `exit reason ${JSON.stringify(result.exitReason)} does not match ${String(expected.exitReason)}`,
    );
  }
  if (expected.stdout !== undefined && !matches(result.stdout, expected.stdout)) {
    problems.push(`stdout does not match ${String(expected.stdout)}`);
  }
  if (expected.stderr !== undefined && !expected.stderr.test(result.stderr)) {
    problems.push(`stderr does not match ${String(expected.stderr)}`);
  }
  if (problems.length > 0) {
    throw new AssertionError({
      message: `OCF result: ${problems.join("; ")}\n--- stdout\n${result.stdout}--- stderr\n${result.stderr}`,
      actual: result,
      expected,
    });
  }
}
