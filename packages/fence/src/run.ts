import { appendFileSync } from "node:fs";
import type { FenceAgent, FenceContext, FenceLogger, PlugInfo, PowerState } from "./agent.js";
import { FenceError, isFenceError, quoteValue } from "./errors.js";
import { FenceExit } from "./exit-codes.js";
import { renderFenceManpage } from "./manpage.js";
import { renderFenceMetadata } from "./metadata.js";
import {
  convertOption,
  type FenceAction,
  type FenceOptionSpecs,
  fenceActions,
  getoptText,
  parseCommandLine,
  parseStdinOptions,
  type RawOptions,
} from "./options.js";

/** Where text goes (stdout, stderr); a function so tests can collect it. */
export type TextSink = (text: string) => void;

/** Options of {@link runFenceAgent}; every one has a process default. */
export interface RunFenceOptions {
  /** Command-line arguments after the program name; empty: options come from stdin. */
  readonly argv?: readonly string[] | undefined;
  /** The stdin text (or how to read it), used only when `argv` is empty. */
  readonly stdin?: string | (() => Promise<string>) | undefined;
  /** Environment (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Protocol output: metadata, `Status: ON`, list lines (default process.stdout). */
  readonly stdout?: TextSink | undefined;
  /** Log output (default process.stderr). */
  readonly stderr?: TextSink | undefined;
  /** Aborts waiting and, through `ctx.signal`, the agent's own calls. */
  readonly signal?: AbortSignal | undefined;
  /** How to wait (tests may speed it up); default a timer that `signal` cancels. */
  readonly sleep?: ((ms: number, signal: AbortSignal) => Promise<void>) | undefined;
}

/** Actions that act on one plug and so need `plug`. */
const plugActions = new Set<FenceAction>(["on", "off", "reboot", "status"]);

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

async function readProcessStdin(): Promise<string> {
  if (process.stdin.isTTY) return "";
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function createLog(
  stderr: TextSink,
  raw: RawOptions,
  flag: (name: string) => boolean,
): FenceLogger {
  const verbose = flag("verbose");
  const quiet = flag("quiet");
  const debugFile = raw.get("debug_file");
  const write = (level: string, message: string, always: boolean): void => {
    const line = `${level}: ${message.replace(/\s*\n\s*/g, "; ")}\n`;
    if ((always || verbose) && !quiet) stderr(line);
    if (typeof debugFile === "string" && debugFile !== "") {
      try {
        appendFileSync(debugFile, `${new Date().toISOString()} ${line}`, { mode: 0o600 });
      } catch {
        // The debug file is a diagnostic aid: failing to write it must never fail a fencing.
      }
    }
  };
  return {
    debug: (m) => write("DEBUG", m, false),
    info: (m) => write("INFO", m, false),
    warn: (m) => write("WARNING", m, true),
    error: (m) => write("ERROR", m, true),
  };
}

function usage<S extends FenceOptionSpecs, C>(agent: FenceAgent<S, C>): string {
  const lines = [`Usage: ${agent.definition.name} [options]`, "Options:"];
  for (const [name, spec] of Object.entries(agent.specs)) {
    const def = spec.default === undefined ? "" : ` (default: ${String(spec.default)})`;
    lines.push(`   ${getoptText(name, spec).padEnd(34)} ${spec.shortdesc}${def}`);
  }
  lines.push("", "With no arguments, options are read from stdin as name=value lines.");
  return `${lines.join("\n")}\n`;
}

/** Converts every raw option and applies defaults; a required plug is checked by the action. */
function resolveValues<S extends FenceOptionSpecs, C>(
  agent: FenceAgent<S, C>,
  raw: RawOptions,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(agent.specs)) {
    const given = raw.get(name);
    if (given !== undefined) values[name] = convertOption(name, spec, given);
    else if (spec.default !== undefined)
      values[name] = convertOption(name, spec, String(spec.default));
    else if (spec.type === "boolean") values[name] = false;
    else if (spec.required && name !== "plug" && name !== "action") {
      throw new FenceError("BAD_ARGS", `option "${name}" is required (${getoptText(name, spec)})`);
    }
  }
  return values;
}

function parseAction(raw: string): FenceAction {
  // Older callers say enable/disable (fencing.py accepts them for on/off).
  const text = raw === "enable" ? "on" : raw === "disable" ? "off" : raw;
  if ((fenceActions as readonly string[]).includes(text)) return text as FenceAction;
  throw new FenceError(
    "BAD_ARGS",
    `option "action": expected one of ${fenceActions.join(", ")}, got ${quoteValue(raw)}`,
  );
}

/**
 * Runs a fence agent once, as Pacemaker's fencer or a person calls it: reads the options (command
 * line, else stdin), runs the action and returns the exit status. Never throws: every failure is
 * logged to stderr and becomes its exit code (see `fenceErrorExitCodes`).
 *
 * @example
 * ```ts
 * process.exitCode = await runFenceAgent(agent);
 * ```
 */
export async function runFenceAgent<S extends FenceOptionSpecs, C>(
  agent: FenceAgent<S, C>,
  options: RunFenceOptions = {},
): Promise<number> {
  const stdout = options.stdout ?? ((t: string) => void process.stdout.write(t));
  const stderr = options.stderr ?? ((t: string) => void process.stderr.write(t));
  const signal = options.signal ?? new AbortController().signal;
  const sleep = options.sleep ?? defaultSleep;
  const argv = options.argv ?? process.argv.slice(2);
  let log: FenceLogger = createLog(stderr, new Map(), () => false);
  try {
    let raw: RawOptions;
    if (argv.length > 0) {
      raw = parseCommandLine(argv, agent.specs);
    } else {
      const input = options.stdin ?? readProcessStdin;
      const text = typeof input === "string" ? input : await input();
      const parsed = parseStdinOptions(text, agent.specs);
      raw = parsed.options;
      log = createLog(stderr, raw, (n) => flagOf(raw, n));
      for (const name of parsed.unknown) log.warn(`ignoring unknown option "${name}" on stdin`);
    }
    log = createLog(stderr, raw, (n) => flagOf(raw, n));
    if (flagOf(raw, "help")) {
      stdout(usage(agent));
      return FenceExit.SUCCESS;
    }
    if (flagOf(raw, "version")) {
      stdout(`${agent.definition.version}\n`);
      return FenceExit.SUCCESS;
    }
    const rawAction = raw.get("action");
    const action = parseAction(typeof rawAction === "string" ? rawAction : "reboot");
    // Metadata and the manual page need no valid options: Pacemaker asks with none.
    if (action === "metadata") {
      stdout(renderFenceMetadata(agent));
      return FenceExit.SUCCESS;
    }
    if (action === "manpage") {
      stdout(renderFenceManpage(agent));
      return FenceExit.SUCCESS;
    }
    const values = resolveValues(agent, raw);
    values.action = action;
    const plug = values.plug as string | undefined;
    if (plugActions.has(action) && (plug === undefined || plug === "")) {
      throw new FenceError(
        "BAD_ARGS",
        `option "plug" is required for action "${action}" (-n, --plug=[id], or plug= on stdin)`,
      );
    }
    const base = { action, options: values, log, signal, env: options.env ?? process.env };
    const def = agent.definition;
    const connection = def.connect
      ? await def.connect({ ...base, connection: undefined } as never)
      : undefined;
    const ctx = { ...base, connection } as FenceContext<Record<string, unknown>, unknown>;
    if (def.validate) await def.validate(ctx as never);
    if (action === "validate-all") {
      log.info("options are valid");
      return FenceExit.SUCCESS;
    }
    return await runAction(agent, ctx, plug ?? "", { stdout, sleep });
  } catch (error) {
    if (isFenceError(error)) {
      log.error(`Failed: ${error.message}`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    log.error(`Failed: unexpected error: ${message}`);
    return FenceExit.GENERIC_ERROR;
  }
}

function flagOf(raw: RawOptions, name: string): boolean {
  const value = raw.get(name);
  if (value === undefined) return false;
  if (value === true) return true;
  return ["1", "yes", "y", "on", "true"].includes(value.trim().toLowerCase());
}

interface Io {
  stdout: TextSink;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

type Ctx = FenceContext<Record<string, unknown>, unknown>;

async function runAction<S extends FenceOptionSpecs, C>(
  agent: FenceAgent<S, C>,
  ctx: Ctx,
  plug: string,
  io: Io,
): Promise<number> {
  const def = agent.definition as unknown as {
    getPowerStatus(ctx: Ctx, plug: string): Promise<PowerState>;
    setPowerStatus(ctx: Ctx, plug: string, target: PowerState): Promise<void>;
    rebootCycle?: (ctx: Ctx, plug: string) => Promise<void>;
    listPlugs?: (ctx: Ctx) => Promise<PlugInfo[]>;
  };
  const opts = ctx.options as Record<string, unknown>;
  const separator = String(opts.separator);
  switch (ctx.action) {
    case "list":
    case "list-status": {
      if (!def.listPlugs) {
        throw new FenceError("UNSUPPORTED_ACTION", `${agent.definition.name} cannot list plugs`);
      }
      for (const p of await def.listPlugs(ctx)) {
        const status =
          ctx.action === "list-status"
            ? `${separator}${(p.status ?? "unknown").toUpperCase()}`
            : "";
        io.stdout(`${p.plug}${separator}${p.alias}${status}\n`);
      }
      return FenceExit.SUCCESS;
    }
    case "monitor": {
      // As fencing.py: a device with plugs is healthy when it can list them; else when it answers.
      if (def.listPlugs) await def.listPlugs(ctx);
      else if (opts.plug) await def.getPowerStatus(ctx, String(opts.plug));
      return FenceExit.SUCCESS;
    }
    case "status": {
      const state = await checkedStatus(def.getPowerStatus(ctx, plug));
      io.stdout(`Status: ${state.toUpperCase()}\n`);
      return state === "on" ? FenceExit.SUCCESS : FenceExit.STATUS_OFF;
    }
    default:
      return powerAction(def, ctx, plug, io);
  }
}

async function checkedStatus(pending: Promise<PowerState>): Promise<PowerState> {
  const state = await pending;
  if (state !== "on" && state !== "off") {
    throw new FenceError("BAD_STATUS", `the device reported power state ${quoteValue(state)}`);
  }
  return state;
}

interface PowerHooks {
  getPowerStatus(ctx: Ctx, plug: string): Promise<PowerState>;
  setPowerStatus(ctx: Ctx, plug: string, target: PowerState): Promise<void>;
  rebootCycle?: (ctx: Ctx, plug: string) => Promise<void>;
}

/** on, off, reboot: fencing.py's `fence_action` semantics (delay, waits, retries of on). */
async function powerAction(def: PowerHooks, ctx: Ctx, plug: string, io: Io): Promise<number> {
  const opts = ctx.options as Record<string, number | string | boolean>;
  const seconds = (name: string): number => Number(opts[name]) * 1000;
  // The two-node tie-breaker (fencing.py's run_delay): only actions that take a node away wait,
  // and they wait right before the power-off request, after the status read. fencing.py waits
  // at the start; when the API has been failing, both nodes' agents retry their reads until it
  // comes back and would then send their power-offs together, each killing the other. Waiting
  // just before the request keeps the delayed side behind the other, whenever that is.
  const tieBreak = async (): Promise<void> => {
    if (seconds("delay") <= 0) return;
    ctx.log.info(`delaying fencing by ${opts.delay} s`);
    await io.sleep(seconds("delay"), ctx.signal);
  };
  const waitFor = async (target: PowerState): Promise<boolean> => {
    if (seconds("power_wait") > 0) await io.sleep(seconds("power_wait"), ctx.signal);
    const until = Date.now() + seconds("power_timeout");
    for (;;) {
      const state = await checkedStatus(def.getPowerStatus(ctx, plug));
      ctx.log.debug(`${plug} is ${state}, waiting for ${target}`);
      if (state === target) return true;
      if (Date.now() >= until) return false;
      await io.sleep(
        Math.min(seconds("stonith_status_sleep"), Math.max(0, until - Date.now())),
        ctx.signal,
      );
    }
  };
  const setAndWait = async (target: PowerState, attempts: number): Promise<boolean> => {
    for (let i = 0; i < Math.max(1, attempts); i++) {
      ctx.log.info(`powering ${target} ${plug} (attempt ${i + 1} of ${Math.max(1, attempts)})`);
      await def.setPowerStatus(ctx, plug, target);
      if (await waitFor(target)) return true;
    }
    return false;
  };
  const status = await checkedStatus(def.getPowerStatus(ctx, plug));
  const retryOn = Number(opts.retry_on);
  if (ctx.action === "on" || ctx.action === "off") {
    if (status === ctx.action) {
      io.stdout(`Success: Already ${status.toUpperCase()}\n`);
      return FenceExit.SUCCESS;
    }
    if (ctx.action === "off") {
      await tieBreak();
      if (!(await setAndWait("off", 1))) throw waiting("off", plug, opts);
      io.stdout("Success: Powered OFF\n");
    } else {
      if (!(await setAndWait("on", 1 + retryOn))) throw waiting("on", plug, opts);
      io.stdout("Success: Powered ON\n");
    }
    return FenceExit.SUCCESS;
  }
  // reboot
  if (status !== "off") await tieBreak();
  if (opts.method === "cycle" && def.rebootCycle) {
    ctx.log.info(`power-cycling ${plug}`);
    await def.rebootCycle(ctx, plug);
    if (!(await waitFor("on")))
      throw new FenceError(
        "TIMED_OUT",
        `${plug} did not come back on within power_timeout=${opts.power_timeout} s after the power cycle`,
      );
  } else {
    if (status !== "off" && !(await setAndWait("off", 1))) throw waiting("off", plug, opts);
    // The node is fenced once it is off: failing to power it on again is logged, not a failure.
    try {
      if (!(await setAndWait("on", retryOn)))
        ctx.log.error(`timed out waiting for ${plug} to power ON`);
    } catch (error) {
      ctx.log.warn(
        `${plug} is off but powering it on failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  io.stdout("Success: Rebooted\n");
  return FenceExit.SUCCESS;
}

function waiting(target: PowerState, plug: string, opts: Record<string, unknown>): FenceError {
  return new FenceError(
    target === "on" ? "WAITING_ON" : "WAITING_OFF",
    `${plug} did not reach ${target.toUpperCase()} within power_timeout=${String(opts.power_timeout)} s`,
  );
}

/**
 * The entry of an agent's executable: reads stdin when there are no arguments, runs the action,
 * and exits with its status (SIGTERM aborts waiting and exits 1).
 */
export async function runFenceAgentMain<S extends FenceOptionSpecs, C>(
  agent: FenceAgent<S, C>,
): Promise<never> {
  const controller = new AbortController();
  const onTerm = (): void =>
    controller.abort(new FenceError("GENERIC_ERROR", "terminated by SIGTERM"));
  process.once("SIGTERM", onTerm);
  const code = await runFenceAgent(agent, { signal: controller.signal });
  process.exit(code);
}
