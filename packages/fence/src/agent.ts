import {
  type FenceAction,
  type FenceOptionSpec,
  type FenceOptionSpecs,
  type FenceOptionValues,
  fenceOption,
  type StandardOptionValues,
  standardOptions,
} from "./options.js";

/** The power state of a fencing target. */
export type PowerState = "on" | "off";

/** One entry of `list` / `list-status`: a plug, its human name and, when known, its state. */
export interface PlugInfo {
  /** What `plug=` takes (an id). */
  readonly plug: string;
  /** A human name (shown after the separator). */
  readonly alias: string;
  /** Power state, for `list-status`; undefined prints UNKNOWN. */
  readonly status?: PowerState | undefined;
}

/** Where an agent logs: stderr (unless quiet), the debug file, nothing for debug unless verbose. */
export interface FenceLogger {
  /** A step worth seeing with --verbose. */
  debug(message: string): void;
  /** Normal progress. */
  info(message: string): void;
  /** Something odd that does not fail the action. */
  warn(message: string): void;
  /** The reason an action failed. */
  error(message: string): void;
}

/** What every hook of an agent receives. */
export interface FenceContext<O, C = undefined> {
  /** The action being run. */
  readonly action: FenceAction;
  /** Every option's value: the standard ones and the agent's own. */
  readonly options: StandardOptionValues & O;
  /** What `connect` returned (undefined when the agent has no `connect`). */
  readonly connection: C;
  /** Logging to stderr and the debug file. */
  readonly log: FenceLogger;
  /** Aborted when the process is asked to stop. */
  readonly signal: AbortSignal;
  /** The process environment. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Standard options whose default an agent may change (e.g. a cloud's slower power_timeout). */
export type StandardDefaults = Partial<
  Pick<
    StandardOptionValues,
    "delay" | "power_timeout" | "power_wait" | "stonith_status_sleep" | "retry_on"
  >
>;

/** The declaration of a fence agent, given to {@link defineFenceAgent}. */
export interface FenceAgentDefinition<S extends FenceOptionSpecs, C> {
  /** Executable name, `fence_<something>`. */
  readonly name: string;
  /** Agent version, printed by `--version`. */
  readonly version: string;
  /** One-line description (metadata `shortdesc` attribute). */
  readonly shortdesc: string;
  /** Paragraph for metadata `<longdesc>` and the manual page. */
  readonly longdesc?: string | undefined;
  /** The vendor's web site. */
  readonly vendorUrl?: string | undefined;
  /** The agent's own options, by their stdin name. */
  readonly options?: S | undefined;
  /** Changed defaults of standard options. */
  readonly defaults?: StandardDefaults | undefined;
  /** A better description of what `plug` takes for this device. */
  readonly plugDescription?: string | undefined;
  /** Default reboot method when `rebootCycle` exists (default `"onoff"`). */
  readonly defaultMethod?: "onoff" | "cycle" | undefined;
  /** Opens the device once per process; the result is `ctx.connection`. */
  readonly connect?:
    | ((ctx: FenceContext<FenceOptionValues<S>, undefined>) => Promise<C>)
    | undefined;
  /** Extra checks of the options together (single options are checked by their spec). */
  readonly validate?:
    | ((ctx: FenceContext<FenceOptionValues<S>, NoInfer<C>>) => Promise<void> | void)
    | undefined;
  /** The target's power state. */
  readonly getPowerStatus: (
    ctx: FenceContext<FenceOptionValues<S>, NoInfer<C>>,
    plug: string,
  ) => Promise<PowerState>;
  /** Asks the device to switch the target on or off; the framework waits for the state. */
  readonly setPowerStatus: (
    ctx: FenceContext<FenceOptionValues<S>, NoInfer<C>>,
    plug: string,
    target: PowerState,
  ) => Promise<void>;
  /** A one-step power cycle (`method=cycle`); the framework waits until the target is on. */
  readonly rebootCycle?:
    | ((ctx: FenceContext<FenceOptionValues<S>, NoInfer<C>>, plug: string) => Promise<void>)
    | undefined;
  /** Every plug the device can fence, for `list`, `list-status` and `monitor`. */
  readonly listPlugs?:
    | ((ctx: FenceContext<FenceOptionValues<S>, NoInfer<C>>) => Promise<PlugInfo[]>)
    | undefined;
}

/** A defined agent: its declaration and every option spec, standard ones included. */
export interface FenceAgent<S extends FenceOptionSpecs = FenceOptionSpecs, C = unknown> {
  /** The declaration as given. */
  readonly definition: FenceAgentDefinition<S, C>;
  /** All options in metadata order: action, method, plug, the agent's, then the standard rest. */
  readonly specs: Readonly<Record<string, FenceOptionSpec>>;
}

const methodOption = (def: "onoff" | "cycle"): FenceOptionSpec =>
  fenceOption({
    type: "select",
    short: "m",
    valueName: "method",
    choices: ["onoff", "cycle"],
    default: def,
    shortdesc: "Method to fence",
    longdesc: "onoff: power off, then on; cycle: one power-cycle request to the device.",
  });

/**
 * Declares a fence agent: its options and the three to five hooks a device needs (power status,
 * power on/off, optionally a one-step cycle and the plug list). `runFenceAgent` does the rest.
 *
 * @example
 * ```ts
 * const agent = defineFenceAgent({
 *   name: "fence_file", version: "1.0.0", shortdesc: "Fences by writing a file",
 *   getPowerStatus: async (_ctx, plug) => (existsSync(plug) ? "on" : "off"),
 *   setPowerStatus: async (_ctx, plug, target) =>
 *     target === "on" ? writeFileSync(plug, "") : rmSync(plug, { force: true }),
 * });
 * ```
 */
export function defineFenceAgent<
  const S extends FenceOptionSpecs = Record<never, never>,
  C = undefined,
>(definition: FenceAgentDefinition<S, C>): FenceAgent<S, C> {
  if (!/^fence_[A-Za-z0-9_]+$/.test(definition.name)) {
    throw new TypeError(
      `fence agent name "${definition.name}" must be fence_ followed by letters, digits or _ (Pacemaker runs fence_*)`,
    );
  }
  const own = definition.options ?? ({} as S);
  const { action, plug, ...rest } = standardOptions;
  const specs: Record<string, FenceOptionSpec> = { action };
  if (definition.rebootCycle) specs.method = methodOption(definition.defaultMethod ?? "onoff");
  specs.plug = { ...plug, shortdesc: definition.plugDescription ?? plug.shortdesc };
  for (const [name, spec] of Object.entries(own)) {
    if (name in standardOptions || name === "method" || name === "help" || name === "version") {
      throw new TypeError(`option "${name}" of ${definition.name} is a standard option`);
    }
    specs[name] = spec;
  }
  const defaults = (definition.defaults ?? {}) as Record<string, number | undefined>;
  for (const [name, spec] of Object.entries(rest) as Array<[string, FenceOptionSpec]>) {
    const override = defaults[name];
    specs[name] = override === undefined ? spec : { ...spec, default: override };
  }
  specs.version = fenceOption({
    type: "boolean",
    short: "V",
    shortdesc: "Display version information and exit",
  });
  specs.help = fenceOption({ type: "boolean", short: "h", shortdesc: "Display help and exit" });
  return { definition, specs };
}
