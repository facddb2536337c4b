import type { ConfDocument, ConfNode, PairNode, SectionNode } from "./cst.js";

/** The document's line ending (its first one), defaulting to "\n". */
export function lineEnding(document: ConfDocument): string {
  const first = document.children[0];
  const raw =
    first === undefined
      ? ""
      : first.kind === "pair"
        ? first.after
        : first.kind === "section"
          ? first.open
          : first.raw;
  return raw.endsWith("\r\n") ? "\r\n" : "\n";
}

function indentOf(node: ConfNode): string {
  const raw = node.kind === "pair" ? node.before : node.kind === "section" ? node.open : node.raw;
  return /^[ \t]*/.exec(raw)![0];
}

/** The indentation unit the document uses (a tab, or the first indented line's spaces). */
export function indentUnit(document: ConfDocument): string {
  for (const top of document.children) {
    if (top.kind !== "section") continue;
    for (const child of top.children) {
      if (child.kind === "pair" || child.kind === "section") {
        const indent = indentOf(child).slice(indentOf(top).length);
        if (indent !== "") return indent;
      }
    }
  }
  return "    ";
}

/** The indentation for a new child of `section` (copied from a sibling when there is one). */
export function childIndent(document: ConfDocument, section: SectionNode | null): string {
  const siblings = section === null ? document.children : section.children;
  const sibling = siblings.find((n) => n.kind === "pair" || n.kind === "section");
  if (sibling !== undefined) return indentOf(sibling);
  return section === null ? "" : indentOf(section) + indentUnit(document);
}

/** A new `key: value` line. */
export function makePair(indent: string, key: string, value: string, eol: string): PairNode {
  return { kind: "pair", key, value, before: `${indent}${key}: `, after: eol, line: 0 };
}

/** A new empty `name {` ... `}` section. */
export function makeSection(indent: string, name: string, eol: string): SectionNode {
  return {
    kind: "section",
    name,
    open: `${indent}${name} {${eol}`,
    children: [],
    close: `${indent}}${eol}`,
    line: 0,
    closeLine: 0,
  };
}

/** Makes sure the last line of `nodes` ends with a line ending before something is appended. */
export function terminateLastLine(nodes: ConfNode[], eol: string): void {
  const last = nodes.at(-1);
  if (last === undefined) return;
  if (last.kind === "pair") {
    if (!last.after.endsWith("\n")) last.after += eol;
  } else if (last.kind === "section") {
    if (last.close !== null && !last.close.endsWith("\n")) last.close += eol;
    else if (last.close === null) terminateLastLine(last.children, eol);
  } else if (!last.raw.endsWith("\n")) last.raw += eol;
}

/** Index after the last pair or section in `nodes` (new content goes there, before trailing comments). */
export function insertionIndex(nodes: readonly ConfNode[]): number {
  for (let i = nodes.length - 1; i >= 0; i--) {
    const kind = nodes[i]!.kind;
    if (kind === "pair" || kind === "section") return i + 1;
  }
  return nodes.length;
}
