import {
  type ActionContext,
  type ActionDefinition,
  type ActionResult,
  type Agent,
  timeSpecToMs,
  type UnparsedActionContext,
} from "./agent.js";
import { createDeadline, type Deadline } from "./deadline.js";
import { isProbe, readOcfEnv } from "./env.js";
import {
  ArgumentsError,
  ConfigurationError,
  DeadlineError,
  errorToOutcome,
  OcfError,
  UnimplementedError,
} from "./errors.js";
import { isOcfExitCode, OcfExit, type OcfExitCode, ocfExitName } from "./exit-codes.js";
import { createLogger, type OcfLogger, type TextSink } from "./logger.js";
import { advertisedActions, hasImplicitReloadAgent, renderMetadata } from "./metadata.js";
import type { ParametersSchema, ParamSpec } from "./params.js";
import { type EnvRecord, type ParamsOf, parseParameters } from "./parse-params.js";
import { retry } from "./retry.js";
import { createStateStore } from "./state.js";

/** Options of {@link runAgent}; every field defaults to the current process. */
export interface RunOptions {
  /** Arguments after the program name; the first is the action (default `process.argv.slice(2)`). */
  readonly argv?: readonly string[];
  /** Environment (default `process.env`). */
  readonly env?: EnvRecord;
  /** Where protocol output goes: meta-data, usage (default `process.stdout`). */
  readonly stdout?: TextSink;
  /** Where the exit reason and stderr logging go (default `process.stderr`). */
  readonly stderr?: TextSink;
  /** Replaces the syslog sender (tests). */
  readonly syslog?: (tag: string, priority: string, message: string) => Promise<void>;
}

/** Prefix Pacemaker looks for on stderr to record why an action failed. */
export const EXIT_REASON_PREFIX = "ocf-exit-reason:";

const DEFAULT_TIMEOUT_MS = 20_000;

function actionTimeoutMs(definition: ActionDefinition<unknown> | undefined): number {
  if (
    definition === undefined ||
    typeof definition === "function" ||
    definition.timeout === undefined
  ) {
    return DEFAULT_TIMEOUT_MS;
  }
  return timeSpecToMs(definition.timeout);
}

function usage(agent: Agent): string {
  const names = [...new Set(advertisedActions(agent).map((a) => a.name))];
  return `usage: ${agent.definition.name} {${names.join("|")}}\n`;
}

function toOutcome(
  action: string,
  result: ActionResult,
): { exitCode: OcfExitCode; reason?: string } {
  if (result === undefined) return { exitCode: OcfExit.SUCCESS };
  if (typeof result === "number") {
    if (!isOcfExitCode(result)) {
      return {
        exitCode: OcfExit.ERR_GENERIC,
        reason: `${action} returned ${result}, not an OCF exit code`,
      };
    }
    return { exitCode: result };
  }
  return result.reason === undefined ? { exitCode: result.exitCode } : result;
}

function withDeadline<T>(work: Promise<T>, deadline: Deadline, action: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(
        new DeadlineError(`${action} did not finish within its ${deadline.budgetMs} ms budget`),
      );
    }, deadline.remainingMs());
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** Parameters as JSON for a trace line, secret ones masked before serialising. */
function describeParams(params: unknown, specs: readonly ParamSpec[]): string {
  const shown: Record<string, unknown> = { ...(params as Record<string, unknown>) };
  for (const spec of specs)
    if (spec.secret && shown[spec.name] !== undefined) shown[spec.name] = "***";
  return JSON.stringify(shown);
}

/**
 * Runs one OCF action of an agent and returns its exit code: `meta-data` (no environment needed),
 * `validate-all`, or any implemented action. Parameters are parsed and validated before every
 * action; a non-zero result prints one `ocf-exit-reason:` line on stderr.
 *
 * @example
 * ```ts
 * process.exitCode = await runAgent(agent);
 * ```
 */
export async function runAgent<S extends ParametersSchema>(
  agent: Agent<S>,
  options: RunOptions = {},
): Promise<number> {
  const argv = options.argv ?? process.argv.slice(2);
  // Lazy: building process.stdout/stderr streams costs a cold start that prints nothing.
  const stdout = options.stdout ?? { write: (text: string) => process.stdout.write(text) };
  const stderr = options.stderr ?? { write: (text: string) => process.stderr.write(text) };
  const action = argv[0];
  const def = agent.definition;
  const fail = (exitCode: OcfExitCode, reason: string, log?: OcfLogger): number => {
    const line = log ? log.redact(reason) : reason;
    stderr.write(`${EXIT_REASON_PREFIX}${line}\n`);
    log?.exitReason(exitCode === OcfExit.NOT_RUNNING ? "info" : "err", line);
    return exitCode;
  };

  if (action === "meta-data") {
    try {
      stdout.write(renderMetadata(agent));
      return OcfExit.SUCCESS;
    } catch (error) {
      return fail(OcfExit.ERR_GENERIC, errorToOutcome(error).reason);
    }
  }
  if (action === "usage" || action === "help") {
    stdout.write(usage(agent));
    return OcfExit.SUCCESS;
  }
  if (action === undefined) {
    stderr.write(usage(agent));
    return fail(OcfExit.ERR_ARGS, new ArgumentsError("no action given").message);
  }
  const actions = def.actions as Record<string, ActionDefinition<unknown> | undefined>;
  const definition = Object.hasOwn(actions, action) ? actions[action] : undefined;
  // validate-all is built in, and so is reload-agent for an agent with reloadable parameters and
  // no handler of its own: both check the parameters and succeed.
  const builtIn =
    action === "validate-all" || (action === "reload-agent" && hasImplicitReloadAgent(agent));
  if (definition === undefined && !builtIn) {
    const known = [...new Set(advertisedActions(agent).map((a) => a.name))].join(", ");
    return fail(
      OcfExit.ERR_UNIMPLEMENTED,
      new UnimplementedError(
        `action "${action}" is not implemented by ${def.name} (implemented: ${known})`,
      ).message,
    );
  }

  const rawEnv = options.env ?? process.env;
  const env = readOcfEnv(rawEnv);
  const instance = env.resourceInstance ?? def.name;
  const log = createLogger({
    log: env.log,
    debug: env.debug || env.traceRa,
    agentName: def.name,
    instance: env.resourceInstance,
    stderr,
    ...(options.syslog ? { syslog: options.syslog } : {}),
  });
  const deadline = createDeadline({ timeoutMs: env.meta.timeoutMs ?? actionTimeoutMs(definition) });
  try {
    const specs = agent.parameterSpecs();
    for (const spec of specs) {
      const value = rawEnv[`OCF_RESKEY_${spec.name}`];
      if (spec.secret && value !== undefined) log.addSecret(value);
    }
    const base: UnparsedActionContext = {
      action,
      env,
      rawEnv,
      instance,
      isProbe: isProbe(action, env),
      checkLevel: env.checkLevel,
      deadline,
      get signal() {
        return deadline.signal;
      },
      log,
      state: createStateStore({ dir: env.rscTmp, prefix: `${def.name}-${instance}` }),
      retry: (fn, retryOptions) => retry(fn, { ...retryOptions, deadline }),
    };
    let params: ParamsOf<S>;
    try {
      params = await parseParameters(def.parameters, specs, rawEnv);
    } catch (error) {
      const fallback = typeof definition === "object" ? definition.onInvalidParameters : undefined;
      if (!(error instanceof ConfigurationError) || fallback === undefined) throw error;
      log.warn(`${action} with invalid parameters: ${error.message}`);
      const outcome = toOutcome(
        action,
        await withDeadline(
          Promise.resolve().then(() => fallback(base, error)),
          deadline,
          action,
        ),
      );
      if (outcome.exitCode === OcfExit.SUCCESS) return outcome.exitCode;
      return fail(outcome.exitCode, outcome.reason ?? error.message, log);
    }
    if (env.traceRa || env.debug)
      log.debug(`${action}: parameters ${describeParams(params, specs)}`);
    const context: ActionContext<typeof params> = { ...base, params };
    const run = async (): Promise<ActionResult> => {
      if (
        def.validate &&
        (action === "validate-all" || action === "start" || action === "reload-agent")
      )
        await def.validate(context);
      if (definition === undefined) return undefined;
      const handler = typeof definition === "function" ? definition : definition.run;
      return handler(context);
    };
    const outcome = toOutcome(action, await withDeadline(run(), deadline, action));
    log.debug(`${action} finished: ${ocfExitName(outcome.exitCode)}`);
    if (outcome.exitCode === OcfExit.SUCCESS) return outcome.exitCode;
    const reason =
      outcome.reason ??
      `${action}: ${ocfExitName(outcome.exitCode)?.toLowerCase().replace(/_/g, " ")}`;
    return fail(outcome.exitCode, reason, log);
  } catch (error) {
    const outcome = errorToOutcome(error);
    if (!(error instanceof OcfError) && error instanceof Error && error.stack)
      log.debug(error.stack);
    return fail(outcome.exitCode, outcome.reason, log);
  } finally {
    await log.flush();
  }
}

/**
 * Runs the agent for this process (`process.argv`, `process.env`) and exits with the action's
 * code, even when the action left timers or sockets open (e.g. it was cut off at its deadline):
 * the entry point of an agent executable.
 *
 * @example
 * ```ts
 * // src/main.ts, bundled and required by bin/my-agent
 * runAgentMain(myAgent);
 * ```
 */
export function runAgentMain<S extends ParametersSchema>(agent: Agent<S>): void {
  void runAgent(agent).then(
    (code) => process.exit(code),
    () => process.exit(OcfExit.ERR_GENERIC),
  );
}
