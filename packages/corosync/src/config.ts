import type { ConfDocument } from "./cst.js";
import { type CorosyncConfig, corosyncConfigSchema, repeatedSections } from "./model.js";
import { rootSpec, type SectionSpec } from "./spec.js";
import { type IndexedSection, indexDocument } from "./structure.js";

type Plain = Record<string, unknown>;

function toPlain(section: IndexedSection, spec: SectionSpec | undefined): Plain {
  const out: Plain = {};
  for (const [key, pair] of section.pairs) {
    const schema = spec?.keys.get(key);
    if (spec?.open || (schema?.safeParse(pair.value).success ?? false)) out[key] = pair.value;
  }
  for (const child of section.sections) {
    const name = child.node!.name;
    const childSpec = spec?.open ? spec : spec?.sections.get(name);
    if (childSpec === undefined) continue;
    const value = toPlain(child, childSpec);
    if (repeatedSections.has(child.path)) {
      const list = (out[name] as Plain[] | undefined) ?? [];
      list.push(value);
      out[name] = list;
    } else {
      out[name] = { ...((out[name] as Plain | undefined) ?? {}), ...value };
    }
  }
  return out;
}

/**
 * Reads a document into the typed model: known sections and keys only, last value wins, and
 * values that fail their schema are left out (`validate` reports them).
 *
 * @example
 * ```ts
 * const config = readConfig(parse(text).document);
 * config.totem?.transport; // "knet" | "udp" | "udpu" | undefined
 * ```
 */
export function readConfig(document: ConfDocument): CorosyncConfig {
  const root = indexDocument(document.children, []);
  return corosyncConfigSchema.parse(toPlain(root, rootSpec()));
}
