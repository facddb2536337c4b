import { isIP } from "node:net";
import type { PairNode } from "./cst.js";
import type { Severity } from "./diagnostics.js";
import {
  type IndexedSection,
  keyColumn,
  sectionColumn,
  sectionsAt,
  valueColumn,
} from "./structure.js";

/** Where a finding goes: position, severity, stable code and message. */
export type Report = (
  at: { line: number; column: number },
  severity: Severity,
  code: string,
  message: string,
) => void;

const LINKS = [0, 1, 2, 3, 4, 5, 6, 7] as const;
/** knet node ids are 16-bit (corosync: "Knet requires nodeid to be less than 65536"). */
const KNET_MAX_NODEID = 65536;

/** Position of a pair's key. */
export const atKey = (pair: PairNode) => ({ line: pair.line, column: keyColumn(pair) });
/** Position of a pair's value. */
export const atValue = (pair: PairNode) => ({ line: pair.line, column: valueColumn(pair) });
/** Position of a section's name (1:1 for the root). */
export const atSection = (s: IndexedSection) =>
  s.node ? { line: s.node.line, column: sectionColumn(s.node) } : { line: 1, column: 1 };

/** Looks like an IP literal (digits and dots, or a colon) without being a valid one. */
const ADDRESS_LIKE = /^[\d.]+$|:/;

function checkAddress(
  pair: PairNode,
  link: number,
  ipVersion: string | undefined,
  report: Report,
): void {
  const family = isIP(pair.value);
  if (family === 0 && ADDRESS_LIKE.test(pair.value)) {
    report(
      atValue(pair),
      "error",
      "invalid-address",
      `ring${link}_addr "${pair.value}" is not a valid IPv4 or IPv6 address`,
    );
  } else if (family === 0) {
    report(
      atValue(pair),
      "warning",
      "hostname-address",
      `ring${link}_addr "${pair.value}" is a hostname, resolved through DNS or /etc/hosts when corosync starts; use the IP address`,
    );
  } else if ((ipVersion === "ipv4" && family === 6) || (ipVersion === "ipv6" && family === 4)) {
    report(
      atValue(pair),
      "error",
      "address-family-mismatch",
      `ring${link}_addr "${pair.value}" is IPv${family} but totem.ip_version is ${ipVersion}`,
    );
  }
}

/** Checks the nodelist: ids, names, addresses and links; returns the nodes. */
export function checkNodes(
  root: IndexedSection,
  totem: { transport: string; ipVersion?: string },
  report: Report,
): IndexedSection[] {
  const { transport, ipVersion } = totem;
  const nodelists = sectionsAt(root, "nodelist");
  const nodes = sectionsAt(root, "nodelist.node");
  if (nodelists.length === 0) {
    report(
      { line: 1, column: 1 },
      "error",
      "missing-nodelist",
      "no nodelist section: corosync 3 needs one node { } per cluster member",
    );
    return nodes;
  }
  if (nodes.length === 0) {
    report(
      atSection(nodelists[0]!),
      "error",
      "empty-nodelist",
      "nodelist has no node { } sections",
    );
  }
  const seen = {
    nodeid: new Map<string, number>(),
    name: new Map<string, number>(),
    addr: new Map<string, number>(),
  };
  let linkPattern: string | undefined;
  for (const node of nodes) {
    const name = node.pairs.get("name");
    const nodeid = node.pairs.get("nodeid");
    const links = LINKS.filter((i) => node.pairs.has(`ring${i}_addr`));
    if (!node.pairs.has("ring0_addr")) {
      report(
        atSection(node),
        "error",
        "missing-ring0-addr",
        "node has no ring0_addr: every node needs an address on link 0",
      );
    }
    if (nodeid === undefined) {
      report(
        atSection(node),
        transport === "knet" ? "error" : "warning",
        "missing-nodeid",
        "node has no nodeid: knet requires one (a unique number from 1)",
      );
    }
    if (name === undefined) {
      report(
        atSection(node),
        "warning",
        "missing-name",
        `node has no name: Pacemaker and pcs identify nodes by name; add "name:" with the node's hostname`,
      );
    }
    if (nodeid && transport === "knet" && Number(nodeid.value) >= KNET_MAX_NODEID) {
      report(
        atValue(nodeid),
        "error",
        "nodeid-too-large",
        `nodeid ${nodeid.value} is too large: knet needs node ids below ${KNET_MAX_NODEID}`,
      );
    }
    for (const [kind, pair] of [
      ["nodeid", nodeid],
      ["name", name],
    ] as const) {
      if (pair === undefined) continue;
      const first = seen[kind].get(pair.value);
      if (first !== undefined)
        report(
          atValue(pair),
          "error",
          `duplicate-${kind}`,
          `${kind} "${pair.value}" is already used by the node on line ${first}`,
        );
      else seen[kind].set(pair.value, pair.line);
    }
    for (const i of links) {
      const pair = node.pairs.get(`ring${i}_addr`)!;
      const first = seen.addr.get(pair.value);
      if (first !== undefined)
        report(
          atValue(pair),
          "error",
          "duplicate-address",
          `address "${pair.value}" is already used on line ${first}`,
        );
      else seen.addr.set(pair.value, pair.line);
      checkAddress(pair, i, ipVersion, report);
      if (i > 0 && transport !== "knet") {
        report(
          atKey(pair),
          "error",
          "too-many-links",
          `ring${i}_addr needs transport knet: ${transport} supports a single link`,
        );
      }
    }
    const pattern = links.join(",");
    if (linkPattern === undefined) linkPattern = pattern;
    else if (pattern !== linkPattern) {
      report(
        atSection(node),
        "error",
        "link-count-mismatch",
        `node has addresses on links [${pattern}] but the first node has [${linkPattern}]; every node needs an address on the same links`,
      );
    }
  }
  for (const i of LINKS) {
    const families = new Set(
      nodes
        .map((n) => n.pairs.get(`ring${i}_addr`))
        .filter((p) => p && isIP(p.value) !== 0)
        .map((p) => isIP(p!.value)),
    );
    if (families.size > 1) {
      report(
        atSection(nodes[0]!),
        "error",
        "mixed-address-family",
        `link ${i} mixes IPv4 and IPv6 addresses; each link must use one family`,
      );
    }
  }
  return nodes;
}
