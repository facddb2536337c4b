import type { $ZodType } from "zod/v4/core";

/** How a parameter is declared deprecated (OCF 1.1 `<deprecated>`). */
export interface OcfDeprecation {
  /** Parameter(s) that replace this one (`<replaced-with name="...">`). */
  readonly replacedWith?: string | readonly string[];
  /** Why it is deprecated or what to do instead. */
  readonly desc?: string;
}

/** The OCF content types a parameter can have in meta-data. */
export type OcfParamType = "string" | "integer" | "boolean" | "select";

/**
 * OCF annotations of one parameter: everything the meta-data `<parameter>` element says beyond
 * the value's zod type.
 */
export interface OcfParamAnnotations {
  /** One-line description (`<shortdesc>`). */
  readonly shortdesc: string;
  /** Full description (`<longdesc>`); defaults to the shortdesc. */
  readonly longdesc?: string;
  /** Whether Pacemaker must be given a value; inferred from the schema when omitted. */
  readonly required?: boolean;
  /** Value must be unique across resources of this agent (OCF 1.0 `unique`, a group of one). */
  readonly unique?: boolean;
  /** Name of a group whose parameters' combined values must be unique (OCF 1.1 `unique-group`). */
  readonly uniqueGroup?: string;
  /** A change can be applied with `reload-agent` instead of a restart (OCF 1.1 `reloadable`). */
  readonly reloadable?: boolean;
  /** The parameter is deprecated, optionally with its replacement. */
  readonly deprecated?: boolean | OcfDeprecation;
  /** Default used when the parameter is unset, as shown in meta-data; parsed like an env value. */
  readonly default?: string | number | boolean;
  /** Never log this parameter's value; the logger redacts it from every line. */
  readonly secret?: boolean;
  /** Content type override; normally inferred (`z.int()` → integer, `z.enum` → select). */
  readonly type?: OcfParamType;
}

/** Any zod 4 schema, classic (`zod`) or mini (`zod/mini`). */
export type AnySchema = $ZodType;

const annotationsBySchema = new WeakMap<object, OcfParamAnnotations>();

/**
 * Attaches OCF annotations to a parameter's zod schema and returns the same schema, so the shape
 * stays typed. Works with `zod` and `zod/mini` schemas. Annotations are keyed by the schema
 * object, so give each parameter its own schema instance (`z.string()` per field), not a shared one.
 *
 * @example
 * ```ts
 * const parameters = z.object({
 *   ip: ocfParam(z.ipv4(), { shortdesc: "Floating IP", required: true, unique: true }),
 *   op_sleep: ocfParam(z.optional(z.int()), { shortdesc: "Sleep seconds", default: 0 }),
 * });
 * ```
 */
export function ocfParam<T extends AnySchema>(schema: T, annotations: OcfParamAnnotations): T {
  annotationsBySchema.set(schema, annotations);
  return schema;
}

/**
 * Reads a schema's OCF annotations: from {@link ocfParam}, else from classic zod's
 * `.meta({ ocf: {...} })` (with `description`/`title` as fallbacks), walking through wrappers.
 */
export function getOcfAnnotations(schema: AnySchema): OcfParamAnnotations | undefined {
  let current: AnySchema | undefined = schema;
  for (let depth = 0; current !== undefined && depth < 8; depth++) {
    const own = annotationsBySchema.get(current) ?? annotationsFromMeta(current);
    if (own) return own;
    current = innerSchema(current);
  }
  return undefined;
}

function annotationsFromMeta(schema: AnySchema): OcfParamAnnotations | undefined {
  const meta = (schema as { meta?: () => unknown }).meta;
  if (typeof meta !== "function") return undefined;
  const value = meta.call(schema) as Record<string, unknown> | undefined;
  if (!value || typeof value !== "object") return undefined;
  const ocf = value.ocf as Partial<OcfParamAnnotations> | undefined;
  const title = typeof value.title === "string" ? value.title : undefined;
  const description = typeof value.description === "string" ? value.description : undefined;
  const shortdesc = ocf?.shortdesc ?? title ?? description;
  if (shortdesc === undefined) return undefined;
  const longdesc = ocf?.longdesc ?? description;
  return { ...ocf, shortdesc, ...(longdesc === undefined ? {} : { longdesc }) };
}

/** The wrapped schema of an optional/default/nullable/pipe/readonly wrapper, if any. */
export function innerSchema(schema: AnySchema): AnySchema | undefined {
  const def = schema._zod.def as { type: string; innerType?: AnySchema; in?: AnySchema };
  switch (def.type) {
    case "optional":
    case "default":
    case "prefault":
    case "nullable":
    case "nonoptional":
    case "readonly":
    case "catch":
      return def.innerType;
    case "pipe":
      return def.in;
    default:
      return undefined;
  }
}
