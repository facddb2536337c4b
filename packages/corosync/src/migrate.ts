import { isIP } from "node:net";
import { cloneDocument } from "./clone.js";
import type { ConfDocument, ConfNode, PairNode, SectionNode } from "./cst.js";
import type { Diagnostic } from "./diagnostics.js";
import { addNode, getKey, type NewNode, setKey, unsetKey } from "./edit.js";
import { emit } from "./emit.js";
import { CorosyncError } from "./errors.js";
import { makePair } from "./format.js";
import { parse } from "./parse.js";
import { validate } from "./validate.js";

/** Options of {@link migrate}. */
export interface MigrateOptions {
  /** Cipher and hash to turn on (default aes256 + sha256). */
  crypto?: {
    cipher: "aes256" | "aes192" | "aes128";
    hash: "sha256" | "sha384" | "sha512" | "sha1" | "md5";
  };
  /** Replace hostnames in ringN_addr by these addresses (hostname → IP). */
  hosts?: Record<string, string>;
  /** Node names to use, by ring0_addr or nodeid (default: the hostname, else `node<nodeid>`). */
  names?: Record<string, string>;
  /** Members to list when the legacy config has no nodelist (multicast udp). */
  nodes?: { name: string; addrs: string[]; nodeid?: number }[];
}

/** What {@link migrate} returns. */
export interface MigrateResult {
  /** The corosync 3 configuration text. */
  text: string;
  /** The migrated document (for further edits). */
  document: ConfDocument;
  /** One sentence per change, explaining why it was made. */
  changes: string[];
  /** Validation of the result (warnings that remain, e.g. hostnames as addresses). */
  diagnostics: Diagnostic[];
}

const UDP_ONLY = ["bindnetaddr", "mcastaddr", "mcastport", "broadcast", "ttl"];

function sections(nodes: ConfNode[], name: string): SectionNode[] {
  return nodes.filter((n): n is SectionNode => n.kind === "section" && n.name === name);
}

function pairs(section: SectionNode, key: string): PairNode[] {
  return section.children.filter((n): n is PairNode => n.kind === "pair" && n.key === key);
}

/** Rewrites interface blocks for knet; returns corosync 1/2 `member { memberaddr }` addresses per link. */
function migrateInterfaces(document: ConfDocument, changes: string[]): string[][] {
  const memberAddrs: string[][] = [];
  for (const totem of sections(document.children, "totem")) {
    for (const iface of sections(totem.children, "interface")) {
      const link = Number(
        pairs(iface, "ringnumber").at(-1)?.value ?? pairs(iface, "linknumber").at(-1)?.value ?? 0,
      );
      for (const ring of pairs(iface, "ringnumber")) {
        ring.key = "linknumber";
        ring.before = ring.before.replace("ringnumber", "linknumber");
        changes.push(
          `line ${ring.line}: ringnumber became linknumber (corosync 3 numbers knet links)`,
        );
      }
      const dropped = iface.children.filter(
        (n): n is PairNode => n.kind === "pair" && UDP_ONLY.includes(n.key),
      );
      for (const p of dropped)
        changes.push(
          `line ${p.line}: removed ${p.key}: knet finds its links from the nodelist addresses; ${p.key} is for udp multicast only`,
        );
      const members = sections(iface.children, "member");
      const addrs = members.flatMap((m) => pairs(m, "memberaddr").map((p) => p.value));
      if (addrs.length > 0) memberAddrs[link] = addrs;
      for (const m of members)
        changes.push(`line ${m.line}: removed member { }: corosync 3 lists members in nodelist`);
      iface.children = iface.children.filter(
        (n) => !dropped.includes(n as PairNode) && !members.includes(n as SectionNode),
      );
    }
  }
  return memberAddrs;
}

/** Nodes from corosync 1/2 memberaddr lists: the j-th member of every link is node j. */
function nodesFromMembers(memberAddrs: string[][], options: MigrateOptions): NewNode[] {
  const links = memberAddrs.filter((l) => l !== undefined);
  if (links.length === 0) return [];
  const count = links[0]!.length;
  if (links.some((l) => l.length !== count)) {
    throw new CorosyncError(
      "INVALID_OPTIONS",
      "nodes: the interfaces list different numbers of memberaddr; pass the members as nodes: [{ name, addrs }]",
    );
  }
  return Array.from({ length: count }, (_, j) => {
    const addrs = links.map((l) => l[j]!);
    return { name: options.names?.[addrs[0]!] ?? `node${j + 1}`, addrs };
  });
}

function migrateNodes(
  document: ConfDocument,
  options: MigrateOptions,
  members: string[][],
  changes: string[],
): ConfDocument {
  let doc = document;
  const list = sections(doc.children, "nodelist").flatMap((l) => sections(l.children, "node"));
  if (list.length === 0) {
    const nodes = options.nodes?.length ? options.nodes : nodesFromMembers(members, options);
    if (nodes.length === 0) {
      throw new CorosyncError(
        "INVALID_OPTIONS",
        "nodes: the legacy config has no nodelist (multicast udp); pass the members as nodes: [{ name, addrs }]",
      );
    }
    for (const n of nodes) doc = addNode(doc, n);
    changes.push(`added a nodelist with ${nodes.length} nodes: knet needs every member listed`);
    return doc;
  }
  const used = new Set(list.flatMap((n) => pairs(n, "nodeid").map((p) => Number(p.value))));
  let next = 1;
  const eol = emit(doc).includes("\r\n") ? "\r\n" : "\n";
  for (const node of list) {
    const ring0 = pairs(node, "ring0_addr").at(-1);
    let nodeid = pairs(node, "nodeid").at(-1)?.value;
    const indent = /^[ \t]*/.exec(ring0?.before ?? "        ")![0];
    if (nodeid === undefined) {
      while (used.has(next)) next++;
      used.add(next);
      nodeid = String(next);
      node.children.splice(
        node.children.indexOf(ring0!) + 1,
        0,
        makePair(indent, "nodeid", nodeid, eol),
      );
      changes.push(
        `line ${node.line}: added nodeid ${nodeid}: knet requires a node id for every node`,
      );
    }
    if (pairs(node, "name").length === 0 && ring0) {
      const name =
        options.names?.[ring0.value] ??
        options.names?.[nodeid] ??
        (isIP(ring0.value) === 0 ? ring0.value : `node${nodeid}`);
      node.children.unshift(makePair(indent, "name", name, eol));
      changes.push(
        `line ${node.line}: added name: ${name}: Pacemaker and corosync 3 identify the local node by name`,
      );
    }
    for (const p of node.children) {
      if (p.kind === "pair" && /^ring[0-7]_addr$/.test(p.key) && options.hosts?.[p.value]) {
        changes.push(
          `line ${p.line}: ${p.key} ${p.value} became ${options.hosts[p.value]}: an IP address does not depend on DNS at startup`,
        );
        p.value = options.hosts[p.value]!;
      }
    }
  }
  return doc;
}

/**
 * Migrates a legacy corosync.conf (corosync 2, or the OCI tutorial's udpu + secauth + no crypto)
 * to corosync 3: knet, crypto on (aes256 + sha256 by default), node names and ids added, corosync 2
 * keys replaced or removed. Comments and layout of untouched lines are kept; `changes` explains
 * each edit. Throws `PARSE_FAILED` when the input has syntax errors.
 *
 * @example
 * ```ts
 * const { text, changes } = migrate(legacyText);
 * ```
 */
export function migrate(input: string | Uint8Array, options: MigrateOptions = {}): MigrateResult {
  const parsed = parse(input);
  const syntax = parsed.diagnostics.filter((d) => d.severity === "error");
  if (syntax.length > 0) {
    const first = syntax[0]!;
    throw new CorosyncError(
      "PARSE_FAILED",
      `cannot migrate a config with syntax errors; line ${first.line}:${first.column}: ${first.message}`,
    );
  }
  const changes: string[] = [];
  let doc = cloneDocument(parsed.document);
  const members = migrateInterfaces(doc, changes);
  if (getKey(doc, "totem.version") === undefined) {
    doc = setKey(doc, "totem.version", "2");
    changes.push("added totem.version: 2 (required)");
  }
  const transport = getKey(doc, "totem.transport");
  if (transport !== "knet") {
    doc = setKey(doc, "totem.transport", "knet");
    changes.push(
      `transport ${transport ?? "(corosync 2 default udp)"} became knet: the only corosync 3 transport with encryption and several links`,
    );
  }
  const crypto = options.crypto ?? { cipher: "aes256", hash: "sha256" };
  if (getKey(doc, "totem.secauth") !== undefined) {
    doc = unsetKey(doc, "totem.secauth");
    changes.push("removed secauth: a corosync 2 key, replaced by crypto_cipher and crypto_hash");
  }
  for (const [key, value] of [
    ["crypto_cipher", crypto.cipher],
    ["crypto_hash", crypto.hash],
  ] as const) {
    const current = getKey(doc, `totem.${key}`);
    if (current === undefined || current === "none") {
      doc = setKey(doc, `totem.${key}`, value);
      changes.push(
        `${key} ${current ?? "(unset)"} became ${value}: cluster traffic is now encrypted and authenticated; copy one authkey (ocfkit-corosync keygen) to /etc/corosync/authkey on every node`,
      );
    }
  }
  const rrp = getKey(doc, "totem.rrp_mode");
  if (rrp !== undefined) {
    doc = unsetKey(doc, "totem.rrp_mode");
    if (rrp === "active" || rrp === "passive") doc = setKey(doc, "totem.link_mode", rrp);
    changes.push(
      `removed rrp_mode ${rrp}${rrp === "active" || rrp === "passive" ? ` (now link_mode: ${rrp})` : ""}: corosync 3 uses knet link_mode`,
    );
  }
  for (const key of ["nodeid", "threads", "vsftype"]) {
    if (getKey(doc, `totem.${key}`) !== undefined) {
      doc = unsetKey(doc, `totem.${key}`);
      changes.push(`removed totem.${key}: not used by corosync 3`);
    }
  }
  doc = migrateNodes(doc, options, members, changes);
  const text = emit(doc);
  return { text, document: doc, changes, diagnostics: validate(text).diagnostics };
}
