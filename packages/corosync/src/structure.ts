import type { ConfNode, PairNode, SectionNode } from "./cst.js";
import type { Diagnostic, DiagnosticSink } from "./diagnostics.js";
import { suggest } from "./diagnostics.js";
import { legacyKeys, repeatedSections } from "./model.js";
import { MAX_SECTION_DEPTH } from "./parse.js";
import { rootSpec, type SectionSpec } from "./spec.js";

/** A section with its keys looked up (last occurrence wins, as in corosync). */
export interface IndexedSection {
  /** `null` for the document root. */
  node: SectionNode | null;
  /** Dotted path, e.g. `totem.interface`. */
  path: string;
  pairs: Map<string, PairNode>;
  sections: IndexedSection[];
}

/** Past parse's nesting limit we stop checking (never recursing unboundedly). */
const MAX_DEPTH = MAX_SECTION_DEPTH;

/** 1-based column of a pair's key. */
export function keyColumn(pair: PairNode): number {
  return pair.before.length - pair.before.trimStart().length + 1;
}

/** 1-based column of a pair's value. */
export function valueColumn(pair: PairNode): number {
  return pair.before.length + 1;
}

/** 1-based column of a section's name. */
export function sectionColumn(section: SectionNode): number {
  return section.open.length - section.open.trimStart().length + 1;
}

/** The section paths where `key` is known, e.g. "quorum" for two_node. */
function homeOf(key: string): string | undefined {
  const homes: string[] = [];
  const walk = (spec: SectionSpec, path: string) => {
    if (spec.keys.has(key)) homes.push(path);
    for (const [name, child] of spec.sections) {
      if (!child.open) walk(child, path === "" ? name : `${path}.${name}`);
    }
  };
  walk(rootSpec(), "");
  return homes.length > 0 ? homes.join(" or ") : undefined;
}

function checkPair(
  pair: PairNode,
  path: string,
  spec: SectionSpec | undefined,
  out: DiagnosticSink,
) {
  const full = path === "" ? pair.key : `${path}.${pair.key}`;
  const at = { line: pair.line, column: keyColumn(pair) };
  if (path === "") {
    out.push({
      ...at,
      severity: "warning",
      code: "key-outside-section",
      message: `"${pair.key}" is outside any section; corosync ignores it`,
    });
    return;
  }
  if (spec === undefined || spec.open) return;
  const legacy = legacyKeys[full];
  if (legacy !== undefined) {
    out.push({ ...at, severity: "warning", code: "legacy-key", message: legacy });
  }
  const schema = spec.keys.get(pair.key);
  if (schema === undefined) {
    const guess = suggest(pair.key, spec.keys.keys());
    const home = guess ? undefined : homeOf(pair.key);
    const hint = guess ? `; did you mean "${guess}"?` : home ? `; it belongs in ${home}` : "";
    const d: Diagnostic = {
      ...at,
      severity: "warning",
      code: "unknown-key",
      message: `unknown key "${pair.key}" in ${path}${hint} (corosync ignores it)`,
    };
    if (guess) d.suggestion = guess;
    out.push(d);
    return;
  }
  const result = schema.safeParse(pair.value);
  if (!result.success) {
    const options =
      "options" in schema && Array.isArray(schema.options) ? schema.options : undefined;
    const inner = (schema as { unwrap?: () => { options?: unknown } }).unwrap?.().options;
    const allowed = (options ?? inner) as string[] | undefined;
    const guess = allowed ? suggest(pair.value, allowed) : undefined;
    const d: Diagnostic = {
      line: pair.line,
      column: valueColumn(pair),
      severity: "error",
      code: "invalid-value",
      message: allowed
        ? `${full}: expected one of ${allowed.join(", ")}, found "${pair.value}"${guess ? `; did you mean "${guess}"?` : ""}`
        : `${full}: ${result.error.issues[0]?.message ?? "invalid value"}, found "${pair.value}"`,
    };
    if (guess) d.suggestion = guess;
    out.push(d);
  }
}

function checkSection(
  section: SectionNode,
  path: string,
  parent: SectionSpec | undefined,
  out: DiagnosticSink,
): SectionSpec | undefined {
  if (parent === undefined || parent.open) return parent;
  const spec = parent.sections.get(section.name);
  if (spec === undefined && section.name !== "") {
    const guess = suggest(section.name, parent.sections.keys());
    const where = path === "" ? "at the top level" : `in ${path}`;
    const legacy = legacyKeys[path === "" ? section.name : `${path}.${section.name}`];
    const d: Diagnostic = {
      line: section.line,
      column: sectionColumn(section),
      severity: "warning",
      code: legacy ? "legacy-key" : "unknown-section",
      message:
        legacy ??
        `unknown section "${section.name}" ${where}${guess ? `; did you mean "${guess}"?` : ""} (corosync ignores it)`,
    };
    if (guess && !legacy) d.suggestion = guess;
    out.push(d);
  }
  return spec;
}

/**
 * Indexes a document's sections and keys and reports structural findings: unknown or misspelt
 * keys and sections, corosync 2 keys, invalid values and duplicates.
 */
export function indexDocument(
  children: ConfNode[],
  out: DiagnosticSink,
  /** False when parse already reported the nesting (validate of text). */
  reportNesting = true,
): IndexedSection {
  const root: IndexedSection = { node: null, path: "", pairs: new Map(), sections: [] };
  const stack: {
    nodes: ConfNode[];
    target: IndexedSection;
    spec: SectionSpec | undefined;
    depth: number;
  }[] = [{ nodes: children, target: root, spec: rootSpec(), depth: 0 }];
  while (stack.length > 0) {
    const { nodes, target, spec, depth } = stack.pop()!;
    const seenSingle = new Map<string, SectionNode>();
    for (const node of nodes) {
      if (node.kind === "pair") {
        checkPair(node, target.path, spec, out);
        const earlier = target.pairs.get(node.key);
        if (earlier !== undefined) {
          out.push({
            line: node.line,
            column: keyColumn(node),
            severity: "warning",
            code: "duplicate-key",
            message: `"${node.key}" is set again (first on line ${earlier.line}); corosync keeps the last value`,
          });
        }
        target.pairs.set(node.key, node);
      } else if (node.kind === "section") {
        const path = target.path === "" ? node.name : `${target.path}.${node.name}`;
        if (depth >= MAX_DEPTH) {
          if (reportNesting) {
            out.push({
              line: node.line,
              column: sectionColumn(node),
              severity: "error",
              code: "nesting-too-deep",
              message: `section "${node.name}" is nested inside ${depth} others; sections nest at most ${MAX_DEPTH} deep`,
            });
          }
          continue;
        }
        const childSpec = checkSection(node, target.path, spec, out);
        const repeatable = repeatedSections.has(path);
        const first = seenSingle.get(node.name);
        if (!repeatable && first !== undefined && childSpec !== undefined) {
          out.push({
            line: node.line,
            column: sectionColumn(node),
            severity: "warning",
            code: "duplicate-section",
            message: `section "${path}" appears again (first on line ${first.line}); corosync merges them`,
          });
        }
        seenSingle.set(node.name, node);
        const indexed: IndexedSection = { node, path, pairs: new Map(), sections: [] };
        target.sections.push(indexed);
        stack.push({ nodes: node.children, target: indexed, spec: childSpec, depth: depth + 1 });
      }
    }
  }
  return root;
}

/** All indexed sections at a dotted path, in file order. */
export function sectionsAt(root: IndexedSection, path: string): IndexedSection[] {
  let current = [root];
  for (const name of path.split(".")) {
    current = current.flatMap((s) => s.sections.filter((c) => c.node?.name === name));
  }
  return current;
}
