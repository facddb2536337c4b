import { z } from "zod";
import { corosyncConfigSchema } from "./model.js";

/** A section's known keys and subsections, derived from the zod model. */
export interface SectionSpec {
  keys: Map<string, z.ZodType>;
  sections: Map<string, SectionSpec>;
  /** Accepts any key or subsection (e.g. `quorum.device`, owned by corosync-qdevice). */
  open: boolean;
}

const OPEN: SectionSpec = { keys: new Map(), sections: new Map(), open: true };

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  while (s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
  return s;
}

function specOf(object: z.ZodObject): SectionSpec {
  const spec: SectionSpec = { keys: new Map(), sections: new Map(), open: false };
  for (const [name, field] of Object.entries(object.shape as Record<string, z.ZodType>)) {
    const inner = unwrap(field);
    const element = inner instanceof z.ZodArray ? unwrap(inner.element as z.ZodType) : inner;
    if (element instanceof z.ZodObject) spec.sections.set(name, specOf(element));
    else if (element instanceof z.ZodRecord) spec.sections.set(name, OPEN);
    else spec.keys.set(name, field);
  }
  return spec;
}

let cached: SectionSpec | undefined;

/** The root of the known corosync 3 layout (computed on first use, not at import time). */
export function rootSpec(): SectionSpec {
  cached ??= specOf(corosyncConfigSchema);
  return cached;
}
