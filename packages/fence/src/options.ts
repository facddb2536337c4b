import type * as z from "zod";
import { FenceError, quoteValue } from "./errors.js";

/** Content types of fence-agents metadata (`<content type=...>`). */
export type FenceOptionType = "string" | "integer" | "second" | "boolean" | "select";

/** One option of a fence agent: how it is spelled on stdin and the command line, and its value. */
export interface FenceOptionSpec {
  /** Value type; `second` is a (possibly fractional) number of seconds. */
  readonly type: FenceOptionType;
  /** One-line description (metadata `<shortdesc>`, usage text). */
  readonly shortdesc: string;
  /** Longer text for the manual page. */
  readonly longdesc?: string | undefined;
  /** One-letter command-line option, without the dash (e.g. `"n"` for `-n`). */
  readonly short?: string | undefined;
  /** Long command-line option without dashes (default: the name with `_` turned into `-`). */
  readonly long?: string | undefined;
  /** What the value is, shown in usage as `--plug=[id]` (default: the type). */
  readonly valueName?: string | undefined;
  /** Value when none is given, as the agent would receive it as text. */
  readonly default?: string | number | boolean | undefined;
  /** Whether a value must be given (for `plug`: by every action that acts on one target). */
  readonly required?: boolean | undefined;
  /** Allowed values of a `select` option. */
  readonly choices?: readonly string[] | undefined;
  /** Older names accepted on stdin for this option (shown as deprecated in metadata). */
  readonly aliases?: readonly string[] | undefined;
  /** Extra check on the converted value (e.g. an OCID pattern); its message names the problem. */
  readonly schema?: z.ZodType | undefined;
  /** Redacted in verbose logs (passwords, keys). */
  readonly secret?: boolean | undefined;
}

/** The options of an agent, by the name used on stdin (`power_timeout`, `plug`, ...). */
export type FenceOptionSpecs = Readonly<Record<string, FenceOptionSpec>>;

/** The value type an option of content type `T` converts to. */
export type FenceOptionValueOf<T extends FenceOptionType> = T extends "boolean"
  ? boolean
  : T extends "integer" | "second"
    ? number
    : string;

/** The typed value object for a set of option specs: required, defaulted and boolean options are always set. */
export type FenceOptionValues<S extends FenceOptionSpecs> = {
  readonly [K in keyof S]: S[K] extends
    | { default: string | number | boolean }
    | { required: true }
    | { type: "boolean" }
    ? FenceOptionValueOf<S[K]["type"]>
    : FenceOptionValueOf<S[K]["type"]> | undefined;
};

/** Declares one option (an identity function that keeps the literal types for inference). */
export function fenceOption<const S extends FenceOptionSpec>(spec: S): S {
  return spec;
}

/** The action names of the fence-agents protocol. */
export const fenceActions = [
  "on",
  "off",
  "reboot",
  "status",
  "list",
  "list-status",
  "monitor",
  "metadata",
  "manpage",
  "validate-all",
] as const;

/** One action of the fence-agents protocol. */
export type FenceAction = (typeof fenceActions)[number];

/**
 * The options every agent made with this package understands, named and spelled as fence-agents'
 * `fencing.py` spells them (`all_opt`), so that Pacemaker, `pcs` and people can use the same
 * names for every agent.
 */
export const standardOptions = {
  action: fenceOption({
    type: "string",
    short: "o",
    valueName: "action",
    default: "reboot",
    required: true,
    shortdesc: "Fencing action",
    longdesc: `One of ${fenceActions.join(", ")}.`,
  }),
  plug: fenceOption({
    type: "string",
    short: "n",
    valueName: "id",
    required: true,
    aliases: ["port"],
    shortdesc: "Physical plug number on device, UUID or identification of machine",
  }),
  nodename: fenceOption({
    type: "string",
    valueName: "name",
    shortdesc: "Name of the node to be fenced (set by Pacemaker; informational)",
  }),
  verbose: fenceOption({
    type: "boolean",
    short: "v",
    shortdesc: "Verbose mode: log every step to stderr",
  }),
  quiet: fenceOption({
    type: "boolean",
    short: "q",
    shortdesc: "Disable logging to stderr; does not affect --verbose or --debug-file",
  }),
  debug_file: fenceOption({
    type: "string",
    short: "D",
    long: "debug-file",
    valueName: "debugfile",
    shortdesc: "Write debug information to given file",
  }),
  separator: fenceOption({
    type: "string",
    short: "C",
    valueName: "char",
    default: ",",
    shortdesc: "Separator for CSV created by 'list' operation",
  }),
  delay: fenceOption({
    type: "second",
    valueName: "seconds",
    default: 0,
    shortdesc: "Wait X seconds before fencing is started",
  }),
  power_timeout: fenceOption({
    type: "second",
    valueName: "seconds",
    default: 20,
    shortdesc: "Test X seconds for status change after ON/OFF",
  }),
  power_wait: fenceOption({
    type: "second",
    valueName: "seconds",
    default: 0,
    shortdesc: "Wait X seconds after issuing ON/OFF",
  }),
  stonith_status_sleep: fenceOption({
    type: "second",
    valueName: "seconds",
    default: 1,
    shortdesc: "Sleep X seconds between status calls during a STONITH action",
  }),
  retry_on: fenceOption({
    type: "integer",
    valueName: "attempts",
    default: 1,
    shortdesc: "Count of attempts to retry power on",
  }),
} as const satisfies FenceOptionSpecs;

/** The values of {@link standardOptions}, as every action sees them. */
export type StandardOptionValues = FenceOptionValues<typeof standardOptions>;

/** The long command-line spelling of an option. */
export function longName(name: string, spec: FenceOptionSpec): string {
  return spec.long ?? name.replace(/_/g, "-");
}

/** `-o, --action=[action]`: the getopt text metadata and usage show. */
export function getoptText(name: string, spec: FenceOptionSpec): string {
  const long = `--${longName(name, spec)}`;
  const value = spec.type === "boolean" ? "" : `=[${spec.valueName ?? spec.type}]`;
  return spec.short ? `-${spec.short}, ${long}${value}` : `${long}${value}`;
}

const trueWords = new Set(["1", "yes", "y", "on", "true"]);
const falseWords = new Set(["0", "no", "n", "off", "false", ""]);

/** Converts one raw text value to its option's type; a bad value is BAD_ARGS naming the option. */
export function convertOption(name: string, spec: FenceOptionSpec, raw: string | true): unknown {
  const bad = (allowed: string): FenceError =>
    new FenceError("BAD_ARGS", `option "${name}": expected ${allowed}, got ${quoteValue(raw)}`);
  let value: unknown;
  if (spec.type === "boolean") {
    if (raw === true) value = true;
    else if (trueWords.has(raw.trim().toLowerCase())) value = true;
    else if (falseWords.has(raw.trim().toLowerCase())) value = false;
    else throw bad("a boolean (1/0, yes/no, on/off, true/false)");
  } else if (raw === true) {
    throw bad(`a value (--${longName(name, spec)}=[${spec.valueName ?? spec.type}])`);
  } else if (spec.type === "integer") {
    if (!/^\s*-?\d+\s*$/.test(raw)) throw bad("an integer");
    value = Number(raw);
  } else if (spec.type === "second") {
    const n = Number(raw.trim());
    if (raw.trim() === "" || !Number.isFinite(n) || n < 0) throw bad("a number of seconds >= 0");
    value = n;
  } else if (spec.type === "select") {
    const choices = spec.choices ?? [];
    if (!choices.includes(raw)) throw bad(`one of ${choices.join(", ")}`);
    value = raw;
  } else {
    value = raw;
  }
  if (spec.schema) {
    const checked = spec.schema.safeParse(value);
    if (!checked.success) {
      const why = checked.error.issues.map((i) => i.message).join("; ");
      throw new FenceError("BAD_ARGS", `option "${name}": ${why}, got ${quoteValue(raw)}`);
    }
    return checked.data;
  }
  return value;
}

/** Raw option values as read from stdin or the command line, by option name. */
export type RawOptions = Map<string, string | true>;

/** What reading stdin found: the known options, and names it ignored. */
export interface StdinOptions {
  /** Known options by their canonical name. */
  readonly options: RawOptions;
  /** Names no option has (Pacemaker's own `pcmk_*` excluded), to warn about. */
  readonly unknown: readonly string[];
}

function indexByName(specs: FenceOptionSpecs): Map<string, string> {
  const byName = new Map<string, string>();
  for (const [name, spec] of Object.entries(specs)) {
    byName.set(name, name);
    for (const alias of spec.aliases ?? []) byName.set(alias, name);
  }
  return byName;
}

/**
 * Reads `name=value` lines, as Pacemaker's fencer writes them to an agent's stdin. Blank lines and
 * `#` comments are skipped; later lines win. Pacemaker's own device options (`pcmk_*`) are not
 * for the agent and are dropped silently; other unknown names are returned to warn about.
 */
export function parseStdinOptions(text: string, specs: FenceOptionSpecs): StdinOptions {
  const byName = indexByName(specs);
  const options: RawOptions = new Map();
  const unknown: string[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    const key = (eq < 0 ? line : line.slice(0, eq)).trim();
    const value = eq < 0 ? "" : line.slice(eq + 1);
    const name = byName.get(key);
    if (name !== undefined) options.set(name, value);
    else if (!key.startsWith("pcmk_")) unknown.push(key);
  }
  return { options, unknown };
}

/**
 * Reads command-line options the way fence agents take them: `-o off`, `-ooff`, `--action=off`,
 * `--action off`, flags such as `-v` or `--verbose`. An unknown option is BAD_ARGS.
 */
export function parseCommandLine(argv: readonly string[], specs: FenceOptionSpecs): RawOptions {
  const byShort = new Map<string, string>();
  const byLong = new Map<string, string>();
  for (const [name, spec] of Object.entries(specs)) {
    if (spec.short) byShort.set(spec.short, name);
    byLong.set(longName(name, spec), name);
  }
  const options: RawOptions = new Map();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    let name: string | undefined;
    let inline: string | undefined;
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const long = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      name = byLong.get(long);
      if (eq >= 0) inline = arg.slice(eq + 1);
    } else if (arg.startsWith("-") && arg.length >= 2) {
      name = byShort.get(arg.charAt(1));
      if (arg.length > 2) inline = arg.slice(2);
    }
    if (name === undefined) {
      throw new FenceError(
        "BAD_ARGS",
        `unknown option ${quoteValue(arg)}; see --help for the options this agent takes`,
      );
    }
    const spec = specs[name] as FenceOptionSpec;
    if (spec.type === "boolean") {
      options.set(name, inline ?? true);
    } else if (inline !== undefined) {
      options.set(name, inline);
    } else {
      const next = argv[i + 1];
      if (next === undefined) {
        throw new FenceError("BAD_ARGS", `option ${arg} needs a value: ${getoptText(name, spec)}`);
      }
      options.set(name, next);
      i++;
    }
  }
  return options;
}
