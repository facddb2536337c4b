import type { ConfDocument, ConfNode, SectionNode } from "./cst.js";

/**
 * A deep copy of a document, without recursion: a document parsed from any text, however deeply
 * nested, copies without exhausting the stack (structuredClone recurses and throws RangeError).
 */
export function cloneDocument(document: ConfDocument): ConfDocument {
  const copy: ConfDocument = { bom: document.bom, children: [] };
  const stack: { from: readonly ConfNode[]; to: ConfNode[] }[] = [
    { from: document.children, to: copy.children },
  ];
  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    for (const node of frame.from) {
      if (node.kind === "section") {
        const section: SectionNode = { ...node, children: [] };
        frame.to.push(section);
        stack.push({ from: node.children, to: section.children });
      } else {
        frame.to.push({ ...node });
      }
    }
  }
  return copy;
}
