import type { output } from "zod/v4/core";
import { ConfigurationError } from "./errors.js";
import { coerceParam, type ParametersSchema, type ParamSpec } from "./params.js";
import { quoteValue } from "./values.js";

interface StandardIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

type StandardResult<T> =
  | { readonly value: T; readonly issues?: undefined }
  | { readonly issues: readonly StandardIssue[] };

interface StandardSchema<T> {
  readonly "~standard": {
    validate(value: unknown): StandardResult<T> | Promise<StandardResult<T>>;
  };
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
  const standard = (schema as unknown as StandardSchema<ParamsOf<S>>)["~standard"];
  const result = await standard.validate(raw);
  if (result.issues) throw issuesToError(result.issues, specs, raw);
  return result.value;
}

function issuesToError(
  issues: readonly StandardIssue[],
  specs: readonly ParamSpec[],
  raw: Record<string, unknown>,
): ConfigurationError {
  const parts = issues.map((issue) => {
    const first = issue.path?.[0];
    const key = typeof first === "object" && first !== null ? first.key : first;
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
