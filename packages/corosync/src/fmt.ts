import type { ConfDocument, ConfNode } from "./cst.js";
import { lineEnding } from "./format.js";

/** Options of {@link formatDocument}. */
export interface FormatOptions {
  /** Indentation unit (default: a tab, as corosync's example config). */
  indent?: string;
}

/**
 * Re-lays out a document canonically: one indentation unit per level, `key: value` with one
 * space, no trailing whitespace, at most one blank line in a row, comments kept and re-indented.
 * Lines corosync rejects are kept verbatim.
 */
export function formatDocument(document: ConfDocument, options: FormatOptions = {}): string {
  const unit = options.indent ?? "\t";
  const eol = lineEnding(document);
  const out: string[] = [];
  let pendingBlank = false;
  const stack: { nodes: readonly ConfNode[]; index: number; depth: number; closing: boolean }[] = [
    { nodes: document.children, index: 0, depth: 0, closing: false },
  ];
  while (stack.length > 0) {
    const frame = stack.at(-1)!;
    const node = frame.nodes[frame.index++];
    if (node === undefined) {
      stack.pop();
      pendingBlank = false;
      if (frame.closing) {
        out.push(`${unit.repeat(frame.depth - 1)}}`);
      }
      continue;
    }
    const pad = unit.repeat(frame.depth);
    if (node.kind === "blank") {
      // A run of blank lines becomes one, and only between two items of the same section.
      pendingBlank = out.length > 0 && !out.at(-1)!.endsWith("{");
      continue;
    }
    if (pendingBlank) out.push("");
    pendingBlank = false;
    if (node.kind === "pair") out.push(`${pad}${node.key}: ${node.value}`);
    else if (node.kind === "comment") out.push(`${pad}${node.raw.trim()}`);
    else if (node.kind !== "section") out.push(node.raw.replace(/\r?\n$/, ""));
    else {
      out.push(`${pad}${node.name} {`);
      stack.push({
        nodes: node.children,
        index: 0,
        depth: frame.depth + 1,
        closing: node.close !== null,
      });
    }
  }
  while (out.at(-1) === "") out.pop();
  return out.join(eol) + eol;
}
