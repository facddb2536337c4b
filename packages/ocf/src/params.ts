import type { $ZodObject, $ZodShape } from "zod/v4/core";
import {
  type AnySchema,
  getOcfAnnotations,
  innerSchema,
  type OcfParamAnnotations,
  type OcfParamType,
} from "./annotations.js";
import { ConfigurationError } from "./errors.js";
import { parseOcfBoolean, parseOcfInteger, quoteValue } from "./values.js";

/** Everything the framework knows about one parameter, derived from its schema and annotations. */
export interface ParamSpec {
  /** Parameter name, as in `OCF_RESKEY_<name>`. */
  readonly name: string;
  /** OCF content type. */
  readonly type: OcfParamType;
  /** Allowed values of a `select` parameter. */
  readonly options: readonly string[];
  /** One-line description. */
  readonly shortdesc: string;
  /** Full description. */
  readonly longdesc: string;
  /** Whether a value must be given. */
  readonly required: boolean;
  /** Unique group name, if the value (alone or with its group) must be unique across resources. */
  readonly uniqueGroup: string | undefined;
  /** Whether `reload-agent` can apply a change. */
  readonly reloadable: boolean;
  /** Deprecation, if any. */
  readonly deprecated:
    | { readonly replacedWith: readonly string[]; readonly desc?: string }
    | undefined;
  /** Default value as a string (what meta-data shows), if any. */
  readonly default: string | undefined;
  /** Whether the value is redacted from logs. */
  readonly secret: boolean;
  /** The parameter's zod schema. */
  readonly schema: AnySchema;
}

/** A zod object schema of agent parameters (classic `z.object` or `zod/mini` `z.object`). */
export type ParametersSchema = $ZodObject<$ZodShape>;

const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Derives the {@link ParamSpec} of every parameter of an agent's parameters schema. */
export function describeParameters(schema: ParametersSchema): ParamSpec[] {
  return Object.entries(schema._zod.def.shape).map(([name, field]) => describeOne(name, field));
}

function describeOne(name: string, schema: AnySchema): ParamSpec {
  if (!PARAM_NAME.test(name)) {
    throw new TypeError(`parameter name "${name}" is not valid in OCF: use letters, digits and _`);
  }
  const notes: OcfParamAnnotations = getOcfAnnotations(schema) ?? { shortdesc: name };
  const core = unwrap(schema);
  const type = notes.type ?? inferType(core);
  const schemaDefault = findDefault(schema);
  const defaultValue = notes.default ?? schemaDefault;
  const optional = isOptional(schema);
  const deprecated =
    notes.deprecated === undefined || notes.deprecated === false
      ? undefined
      : notes.deprecated === true
        ? { replacedWith: [] }
        : {
            replacedWith: toList(notes.deprecated.replacedWith),
            ...(notes.deprecated.desc === undefined ? {} : { desc: notes.deprecated.desc }),
          };
  return {
    name,
    type,
    options: type === "select" ? enumOptions(core) : [],
    shortdesc: notes.shortdesc,
    longdesc: notes.longdesc ?? notes.shortdesc,
    required: notes.required ?? (!optional && defaultValue === undefined),
    uniqueGroup: notes.uniqueGroup ?? (notes.unique ? name : undefined),
    reloadable: notes.reloadable ?? false,
    deprecated,
    default: defaultValue === undefined ? undefined : String(defaultValue),
    secret: notes.secret ?? false,
    schema,
  };
}

function toList(value: string | readonly string[] | undefined): readonly string[] {
  if (value === undefined) return [];
  return typeof value === "string" ? [value] : value;
}

function unwrap(schema: AnySchema): AnySchema {
  let current = schema;
  for (let inner = innerSchema(current); inner; inner = innerSchema(current)) current = inner;
  return current;
}

function isOptional(schema: AnySchema): boolean {
  return schema._zod.optin === "optional";
}

function findDefault(schema: AnySchema): string | number | boolean | undefined {
  for (let current: AnySchema | undefined = schema; current; current = innerSchema(current)) {
    const def = current._zod.def as { type: string; defaultValue?: unknown };
    if (def.type === "default" || def.type === "prefault") {
      const value = def.defaultValue;
      if (["string", "number", "boolean"].includes(typeof value)) {
        return value as string | number | boolean;
      }
      return undefined;
    }
  }
  return undefined;
}

const INTEGER_FORMATS = new Set(["safeint", "int32", "uint32", "int64", "uint64"]);

function inferType(core: AnySchema): OcfParamType {
  const def = core._zod.def as {
    type: string;
    format?: string;
    checks?: Array<{ _zod: { def: { format?: string } } }>;
  };
  switch (def.type) {
    case "boolean":
      return "boolean";
    case "enum":
      return "select";
    case "number":
    case "bigint": {
      const formats = [def.format, ...(def.checks ?? []).map((c) => c._zod.def.format)];
      return formats.some((f) => f !== undefined && INTEGER_FORMATS.has(f)) ? "integer" : "string";
    }
    default:
      return "string";
  }
}

function enumOptions(core: AnySchema): string[] {
  const entries = (core._zod.def as { entries?: Record<string, unknown> }).entries;
  return entries ? Object.values(entries).map(String) : [];
}

/** Turns one raw `OCF_RESKEY_*` string into the value its schema expects (boolean, number, string). */
export function coerceParam(spec: ParamSpec, raw: string): unknown {
  switch (spec.type) {
    case "boolean":
      return parseOcfBoolean(raw, spec.name);
    case "integer":
      return parseOcfInteger(raw, spec.name);
    default: {
      const core = unwrap(spec.schema)._zod.def.type;
      // A plain number (not integer-checked) still arrives as text.
      return core === "number" ? parseOcfNumber(raw, spec.name) : raw;
    }
  }
}

function parseOcfNumber(raw: string, name: string): number {
  const value = Number(raw.trim());
  if (raw.trim() === "" || !Number.isFinite(value)) {
    throw new ConfigurationError(`parameter "${name}": expected a number, got ${quoteValue(raw)}`);
  }
  return value;
}
