import type { ConfDocument, ConfNode } from "./cst.js";

/** Appends the text of `nodes` to `out`, depth-first, without recursion (nesting may be deep). */
function emitNodes(nodes: readonly ConfNode[], out: string[]): void {
  const stack: { nodes: readonly ConfNode[]; index: number; close: string | null }[] = [
    { nodes, index: 0, close: null },
  ];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const node = frame.nodes[frame.index++];
    if (node === undefined) {
      stack.pop();
      if (frame.close !== null) out.push(frame.close);
      continue;
    }
    if (node.kind === "pair") out.push(node.before, node.value, node.after);
    else if (node.kind === "section") {
      out.push(node.open);
      stack.push({ nodes: node.children, index: 0, close: node.close });
    } else out.push(node.raw);
  }
}

/**
 * Turns a document back into corosync.conf text; for a freshly parsed document the result is the
 * input, byte for byte.
 *
 * @example
 * ```ts
 * const { document } = parse(text);
 * emit(document) === text; // true
 * ```
 */
export function emit(document: ConfDocument): string {
  const out: string[] = [document.bom];
  emitNodes(document.children, out);
  return out.join("");
}
