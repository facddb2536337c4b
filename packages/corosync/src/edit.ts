import { isIP } from "node:net";
import { cloneDocument } from "./clone.js";
import type { ConfDocument, ConfNode, PairNode, SectionNode } from "./cst.js";
import { CorosyncError } from "./errors.js";
import {
  childIndent,
  insertionIndex,
  lineEnding,
  makePair,
  makeSection,
  terminateLastLine,
} from "./format.js";

const SEGMENT = /^[A-Za-z0-9_.-]+$/;

function splitPath(path: string): { sections: string[]; key: string } {
  const parts = path.split(".");
  if (parts.length < 2 || parts.some((p) => p === "" || !SEGMENT.test(p))) {
    throw new CorosyncError(
      "INVALID_PATH",
      `path: expected "section.key" such as "totem.token", found "${path}"`,
    );
  }
  return { sections: parts.slice(0, -1), key: parts.at(-1)! };
}

function childSections(nodes: ConfNode[], name: string): SectionNode[] {
  return nodes.filter((n): n is SectionNode => n.kind === "section" && n.name === name);
}

/** Finds (or with `create`, appends) the section at `names`; returns null when absent. */
function locate(document: ConfDocument, names: string[], create: boolean): SectionNode | null {
  let parent: SectionNode | null = null;
  for (const name of names) {
    const nodes: ConfNode[] = parent === null ? document.children : parent.children;
    let found: SectionNode | undefined = childSections(nodes, name)[0];
    if (found === undefined) {
      if (!create) return null;
      const eol = lineEnding(document);
      found = makeSection(childIndent(document, parent), name, eol);
      if (parent === null) {
        terminateLastLine(nodes, eol);
        if (nodes.length > 0) nodes.push({ kind: "blank", raw: eol, line: 0 });
        nodes.push(found);
      } else nodes.splice(insertionIndex(nodes), 0, found);
    }
    parent = found;
  }
  return parent;
}

/**
 * Returns a copy of `document` with `path` (e.g. `"totem.token"`) set to `value`: the existing
 * line keeps its layout and only its value changes; a missing key (or section) is added with the
 * indentation of its neighbours.
 *
 * @example
 * ```ts
 * const text = emit(setKey(parse(conf).document, "totem.token", "3000"));
 * ```
 */
export function setKey(document: ConfDocument, path: string, value: string): ConfDocument {
  const { sections, key } = splitPath(path);
  if (/[\r\n]/.test(value) || value !== value.trim()) {
    throw new CorosyncError(
      "INVALID_OPTIONS",
      `value: expected one line without surrounding spaces, found ${JSON.stringify(value)}`,
    );
  }
  const copy = cloneDocument(document);
  const section = locate(copy, sections, true)!;
  const existing = section.children
    .filter((n): n is PairNode => n.kind === "pair" && n.key === key)
    .at(-1);
  if (existing !== undefined) {
    existing.value = value;
    if (!/[ \t]$/.test(existing.before)) existing.before += " ";
  } else {
    const pair = makePair(childIndent(copy, section), key, value, lineEnding(copy));
    section.children.splice(insertionIndex(section.children), 0, pair);
  }
  return copy;
}

/** Returns a copy of `document` without any `key` line at `path`; unchanged when absent. */
export function unsetKey(document: ConfDocument, path: string): ConfDocument {
  const { sections, key } = splitPath(path);
  const copy = cloneDocument(document);
  const section = locate(copy, sections, false);
  if (section !== null) {
    section.children = section.children.filter((n) => !(n.kind === "pair" && n.key === key));
  }
  return copy;
}

/** Reads the value of `path` (last occurrence wins, as in corosync), or undefined. */
export function getKey(document: ConfDocument, path: string): string | undefined {
  const { sections, key } = splitPath(path);
  const section = locate(document, sections, false);
  const pair = section?.children
    .filter((n): n is PairNode => n.kind === "pair" && n.key === key)
    .at(-1);
  return pair?.value;
}

/** A node to add with {@link addNode}. */
export interface NewNode {
  /** The node name (usually its hostname, `uname -n`). */
  name: string;
  /** One address per link: addrs[0] becomes ring0_addr. */
  addrs: string[];
  /** Defaults to one more than the highest node id in use. */
  nodeid?: number;
}

function nodeSections(document: ConfDocument): SectionNode[] {
  return childSections(document.children, "nodelist").flatMap((l) =>
    childSections(l.children, "node"),
  );
}

function pairValue(section: SectionNode, key: string): string | undefined {
  return section.children.filter((n): n is PairNode => n.kind === "pair" && n.key === key).at(-1)
    ?.value;
}

function adjustTwoNode(document: ConfDocument): ConfDocument {
  const count = nodeSections(document).length;
  if (getKey(document, "quorum.provider") !== "corosync_votequorum") return document;
  if (count === 2 && getKey(document, "quorum.two_node") === undefined)
    return setKey(document, "quorum.two_node", "1");
  if (count !== 2 && getKey(document, "quorum.two_node") === "1")
    return unsetKey(document, "quorum.two_node");
  return document;
}

/**
 * Returns a copy of `document` with a new `node { }` in the nodelist, laid out like the existing
 * nodes; keeps votequorum's two_node in step (set for exactly two nodes, removed otherwise).
 * Throws `NODE_EXISTS` when the name, node id or an address is taken.
 */
export function addNode(document: ConfDocument, node: NewNode): ConfDocument {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(node.name)) {
    throw new CorosyncError(
      "INVALID_OPTIONS",
      `name: expected letters, digits, '.', '_' or '-', found "${node.name}"`,
    );
  }
  if (node.addrs.length < 1 || node.addrs.length > 8 || node.addrs.some((a) => isIP(a) === 0)) {
    throw new CorosyncError(
      "INVALID_OPTIONS",
      `addrs: expected 1 to 8 IP addresses, found ${JSON.stringify(node.addrs)}`,
    );
  }
  if (
    node.nodeid !== undefined &&
    (!Number.isInteger(node.nodeid) || node.nodeid < 1 || node.nodeid > 0xffffffff)
  ) {
    throw new CorosyncError(
      "INVALID_OPTIONS",
      `nodeid: expected an integer from 1 to 4294967295, found ${node.nodeid}`,
    );
  }
  const existing = nodeSections(document);
  const ids = existing.map((n) => Number(pairValue(n, "nodeid") ?? 0));
  const nodeid = node.nodeid ?? Math.max(0, ...ids) + 1;
  for (const n of existing) {
    const addrs = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => pairValue(n, `ring${i}_addr`));
    const clash =
      pairValue(n, "name") === node.name
        ? `name "${node.name}"`
        : Number(pairValue(n, "nodeid")) === nodeid
          ? `nodeid ${nodeid}`
          : node.addrs.find((a) => addrs.includes(a));
    if (clash)
      throw new CorosyncError(
        "NODE_EXISTS",
        `a node with ${clash.includes(" ") ? clash : `address ${clash}`} already exists`,
      );
  }
  const copy = cloneDocument(document);
  const list = locate(copy, ["nodelist"], true)!;
  const eol = lineEnding(copy);
  const template = childSections(list.children, "node").at(-1);
  const section = makeSection(childIndent(copy, list), "node", eol);
  const inner = template ? childIndent(copy, template) : childIndent(copy, section);
  section.children.push(
    makePair(inner, "name", node.name, eol),
    makePair(inner, "nodeid", String(nodeid), eol),
  );
  node.addrs.forEach((addr, i) => {
    section.children.push(makePair(inner, `ring${i}_addr`, addr, eol));
  });
  const at = template ? list.children.indexOf(template) + 1 : insertionIndex(list.children);
  list.children.splice(at, 0, section);
  return adjustTwoNode(copy);
}

/**
 * Returns a copy of `document` without the node whose name, node id or ring0_addr is `node`;
 * keeps two_node in step. Throws `NODE_NOT_FOUND` when no node matches.
 */
export function removeNode(document: ConfDocument, node: string): ConfDocument {
  const copy = cloneDocument(document);
  for (const list of childSections(copy.children, "nodelist")) {
    const index = list.children.findIndex(
      (n) =>
        n.kind === "section" &&
        n.name === "node" &&
        [pairValue(n, "name"), pairValue(n, "nodeid"), pairValue(n, "ring0_addr")].includes(node),
    );
    if (index !== -1) {
      list.children.splice(index, 1);
      return adjustTwoNode(copy);
    }
  }
  throw new CorosyncError("NODE_NOT_FOUND", `no node has the name, nodeid or ring0_addr "${node}"`);
}
