import { config, type output, safeParseAsync } from "zod/v4/core";
import { en } from "zod/v4/locales";
import { ConfigurationError } from "./errors.js";
import { coerceParam, type ParametersSchema, type ParamSpec } from "./params.js";
import { quoteValue } from "./values.js";

interface Issue {
  readonly message: string;
  readonly path: readonly PropertyKey[];
}

/** The typed parameter values of an agent whose parameters schema is `S`. */
export type ParamsOf<S extends ParametersSchema> = output<S>;

/** Environment variables as Node gives them. */
export type EnvRecord = Readonly<Record<string, string | undefined>>;

/**
 * Reads every parameter from `OCF_RESKEY_<name>`, coerces it by its OCF type, applies defaults,
 * and validates the whole object with the schema. Empty values count as unset, as in
 * `ocf-shellfuncs`. Throws a {@link ConfigurationError} that names the parameter.
 */
export async function parseParameters<S extends ParametersSchema>(
  schema: S,
  specs: readonly ParamSpec[],
  env: EnvRecord,
): Promise<ParamsOf<S>> {
  const raw: Record<string, unknown> = {};
  for (const spec of specs) {
    const value = env[`OCF_RESKEY_${spec.name}`];
    if (value !== undefined && value !== "") {
      raw[spec.name] = coerceParam(spec, value);
    } else if (spec.default !== undefined) {
      raw[spec.name] = coerceParam(spec, spec.default);
    } else if (spec.required) {
      throw new ConfigurationError(
        `parameter "${spec.name}" is required (${spec.shortdesc}) but OCF_RESKEY_${spec.name} is not set`,
      );
    }
  }
  // Async parsing allows async refinements and skips zod's eval-compiled fast path, whose
  // compilation costs more than it saves in a process that parses once.
  // zod/mini schemas carry no messages ("Invalid input"): English for this parse only, unless the
  // application chose a locale; nothing global is changed.
  const error = config().localeError === undefined ? en().localeError : undefined;
  const result = await safeParseAsync(schema, raw, error ? { error } : undefined);
  if (!result.success) throw issuesToError(result.error.issues, specs, raw);
  return result.data as ParamsOf<S>;
}

function issuesToError(
  issues: readonly Issue[],
  specs: readonly ParamSpec[],
  raw: Record<string, unknown>,
): ConfigurationError {
  const parts = issues.map((issue) => {
    const key = issue.path[0];
    if (key === undefined) return issue.message;
    const name = String(key);
    const spec = specs.find((s) => s.name === name);
    const got = raw[name];
    const shown = got === undefined ? "unset" : spec?.secret ? "(secret)" : quoteValue(String(got));
    const allowed = spec?.type === "select" ? ` (allowed: ${spec.options.join(", ")})` : "";
    return `parameter "${name}": ${issue.message}${allowed}, got ${shown}`;
  });
  return new ConfigurationError(parts.join("; "));
}
