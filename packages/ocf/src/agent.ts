import type { Deadline } from "./deadline.js";
import type { OcfEnv } from "./env.js";
import type { OcfExitCode } from "./exit-codes.js";
import type { OcfLogger } from "./logger.js";
import type { MetadataDialect } from "./metadata.js";
import { describeParameters, type ParametersSchema, type ParamSpec } from "./params.js";
import type { EnvRecord, ParamsOf } from "./parse-params.js";
import type { RetryAttempt, RetryOptions } from "./retry.js";
import type { StateStore } from "./state.js";

/** Action names OCF 1.1 and Pacemaker define; agents may add their own. */
export type OcfActionName =
  | "start"
  | "stop"
  | "monitor"
  | "promote"
  | "demote"
  | "notify"
  | "reload"
  | "reload-agent"
  | "migrate_to"
  | "migrate_from"
  | "validate-all"
  | "meta-data"
  | "status"
  | "recover";

/** A duration: seconds as a number, or a string such as `"20s"`, `"500ms"`, `"2m"`. */
export type TimeSpec = number | string;

/** What an action hands to its handler. */
export interface ActionContext<P> {
  /** The action being run, e.g. `"monitor"`. */
  readonly action: string;
  /** Typed, validated parameter values. */
  readonly params: P;
  /** The Pacemaker environment. */
  readonly env: OcfEnv;
  /** The raw environment variables. */
  readonly rawEnv: EnvRecord;
  /** `OCF_RESOURCE_INSTANCE`, or the agent name when unset (manual runs). */
  readonly instance: string;
  /** True for a probe: `monitor` with interval 0. */
  readonly isProbe: boolean;
  /** Monitor depth (`OCF_CHECK_LEVEL`). */
  readonly checkLevel: number;
  /** When this action must have answered by (Pacemaker's timeout minus a margin). */
  readonly deadline: Deadline;
  /** Aborts at the deadline; pass it to every I/O call. */
  readonly signal: AbortSignal;
  /** Logger with the instance in every line and secrets redacted. */
  readonly log: OcfLogger;
  /** Atomic state files in `HA_RSCTMP` for this instance. */
  readonly state: StateStore;
  /** {@link retry} bound to this action's deadline. */
  retry<T>(
    fn: (attempt: RetryAttempt) => Promise<T> | T,
    options?: Omit<RetryOptions, "deadline">,
  ): Promise<T>;
}

/** An exit code with the reason printed as `ocf-exit-reason:` when it is not success. */
export interface ActionOutcome {
  /** The OCF exit code. */
  readonly exitCode: OcfExitCode;
  /** One-line reason (required in spirit for every non-zero code). */
  readonly reason?: string;
}

/**
 * What a handler may return: nothing (success), an exit code (use {@link OcfExit}; a number that
 * is not an OCF code becomes `ERR_GENERIC`), or an outcome with a reason.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: lets a handler simply return nothing on success.
export type ActionResult = void | number | ActionOutcome;

/** An action's implementation. Throwing an {@link OcfError} ends it with that error's exit code. */
export type ActionHandler<P> = (context: ActionContext<P>) => ActionResult | Promise<ActionResult>;

/** One more `<action>` line in meta-data (e.g. a second monitor at another depth or role). */
export interface ActionAdvert {
  /** Default timeout. */
  readonly timeout: TimeSpec;
  /** Default interval (monitor). */
  readonly interval?: TimeSpec;
  /** Check depth (monitor, `OCF_CHECK_LEVEL`). */
  readonly depth?: number;
  /** Role this line applies to. */
  readonly role?: "Promoted" | "Unpromoted";
  /** Delay before the first run. */
  readonly startDelay?: TimeSpec;
}

/** An action with its meta-data defaults. */
export interface ActionOptions<P> extends Partial<ActionAdvert> {
  /** The implementation. */
  readonly run: ActionHandler<P>;
  /** More meta-data lines for the same action (e.g. monitor at depth 10). */
  readonly more?: readonly ActionAdvert[];
  /**
   * Runs instead of exiting `ERR_CONFIGURED` when the parameters are invalid, with the context
   * minus `params` and the error: a `stop` must still make the resource absent, or Pacemaker
   * fences the node over a typo. Its result is the action's.
   */
  readonly onInvalidParameters?: InvalidParametersHandler;
}

/** The context of an action whose parameters did not parse: everything but `params`. */
export type UnparsedActionContext = Omit<ActionContext<unknown>, "params">;

/** See {@link ActionOptions.onInvalidParameters}. */
export type InvalidParametersHandler = (
  context: UnparsedActionContext,
  error: Error,
) => ActionResult | Promise<ActionResult>;

/** An action: a bare handler (default timeout 20s) or a handler with meta-data defaults. */
export type ActionDefinition<P> = ActionHandler<P> | ActionOptions<P>;

/** The actions map of an agent. `meta-data` is built in; `validate-all` is built in unless given. */
export type ActionsOf<P> = { readonly [name in OcfActionName]?: ActionDefinition<P> } & {
  readonly [name: string]: ActionDefinition<P> | undefined;
};

/** Everything that defines an agent; see {@link defineAgent}. */
export interface AgentDefinition<S extends ParametersSchema> {
  /** Agent name as in meta-data (`<resource-agent name>`), e.g. `"ocivip"`. */
  readonly name: string;
  /** Agent version (`<resource-agent version>`). */
  readonly version: string;
  /** One-line description. */
  readonly shortdesc: string;
  /** Full description. */
  readonly longdesc?: string;
  /** Parameters: a zod object whose fields carry {@link ocfParam} annotations. */
  readonly parameters: S;
  /** The implemented actions. */
  readonly actions: ActionsOf<ParamsOf<S>>;
  /** Checks beyond the schema (tools installed, files present); runs in validate-all, start, reload-agent. */
  readonly validate?: (context: ActionContext<ParamsOf<S>>) => void | Promise<void>;
  /** Meta-data flavour; default `"ocf-1.1"` (reload-agent, reloadable; ocf-tester's DTD check passes). */
  readonly metadataDialect?: MetadataDialect;
}

/** A defined agent: its definition plus lazily derived parameter specs. */
export interface Agent<S extends ParametersSchema = ParametersSchema> {
  /** The definition given to {@link defineAgent}. */
  readonly definition: AgentDefinition<S>;
  /** Parameter specs, derived from the schema on first use and cached. */
  parameterSpecs(): readonly ParamSpec[];
}

/**
 * Declares an OCF resource agent. Cheap: the schema is only inspected when an action runs.
 *
 * @example
 * ```ts
 * export const agent = defineAgent({
 *   name: "hello", version: "1.0.0", shortdesc: "Says hello",
 *   parameters: z.object({ who: ocfParam(z.string(), { shortdesc: "Who to greet" }) }),
 *   actions: { start: () => {}, stop: () => {}, monitor: () => OcfExit.NOT_RUNNING },
 * });
 * ```
 */
export function defineAgent<S extends ParametersSchema>(definition: AgentDefinition<S>): Agent<S> {
  if (!/^[A-Za-z0-9_.-]+$/.test(definition.name)) {
    throw new TypeError(`agent name "${definition.name}": use letters, digits, ".", "_", "-"`);
  }
  let specs: readonly ParamSpec[] | undefined;
  return {
    definition,
    parameterSpecs: () => {
      specs ??= describeParameters(definition.parameters);
      return specs;
    },
  };
}

/** Converts a {@link TimeSpec} to milliseconds; throws a TypeError naming the bad value. */
export function timeSpecToMs(value: TimeSpec): number {
  if (typeof value === "number") return value * 1000;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|msec|s|sec|m|min|h|hr)?\s*$/.exec(value);
  if (!match) throw new TypeError(`time "${value}": expected e.g. 20, "20s", "500ms", "2m"`);
  const unit = match[2] ?? "s";
  const factor = unit.startsWith("ms")
    ? 1
    : unit.startsWith("s")
      ? 1000
      : unit.startsWith("m")
        ? 60_000
        : 3_600_000;
  return Number(match[1]) * factor;
}
