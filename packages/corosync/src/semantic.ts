import { atKey, atSection, atValue, checkNodes, type Report } from "./semantic-nodes.js";
import type { IndexedSection } from "./structure.js";
import { sectionsAt } from "./structure.js";

/** corosync 3's default token timeout in milliseconds (`corosync.conf(5)`). */
const DEFAULT_TOKEN_MS = 3000;

function checkCrypto(totem: IndexedSection, transport: string, report: Report): void {
  const cipher = totem.pairs.get("crypto_cipher");
  const hash = totem.pairs.get("crypto_hash");
  const secauth = totem.pairs.get("secauth");
  const secauthOn = secauth !== undefined && (secauth.value === "on" || secauth.value === "yes");
  const cipherOn = cipher ? cipher.value !== "none" : secauthOn;
  const hashOn = hash ? hash.value !== "none" : secauthOn;
  if ((cipherOn || hashOn) && transport !== "knet") {
    const pair = cipher ?? hash ?? secauth!;
    report(
      atKey(pair),
      "error",
      "crypto-needs-knet",
      `crypto is only supported by the knet transport, not ${transport}; set transport: knet`,
    );
    return;
  }
  if (cipherOn && !hashOn) {
    report(
      atKey(cipher ?? secauth!),
      "error",
      "cipher-without-hash",
      "crypto_cipher requires crypto_hash (e.g. sha256)",
    );
  } else if (!cipherOn && !hashOn) {
    report(
      cipher ? atValue(cipher) : atSection(totem),
      "warning",
      "no-crypto",
      "cluster traffic is neither encrypted nor authenticated; set crypto_cipher: aes256 and crypto_hash: sha256 (knet) and create /etc/corosync/authkey with corosync-keygen",
    );
  } else if (!cipherOn) {
    report(
      atKey(hash ?? secauth!),
      "warning",
      "no-encryption",
      "messages are authenticated but not encrypted; set crypto_cipher: aes256",
    );
  }
}

/** The smallest timeout corosync accepts: three 10 ms scheduler ticks (`totemconfig.c`). */
const MINIMUM_TIMEOUT_MS = 30;
/** corosync's default join timeout in milliseconds (`corosync.conf(5)`). */
const DEFAULT_JOIN_MS = 50;
const TIMEOUT_KEYS = ["token", "token_retransmit", "join", "consensus", "merge", "downcheck"];

function checkTimeouts(totem: IndexedSection, report: Report): void {
  const ms = (key: string) => {
    const pair = totem.pairs.get(key);
    return pair && /^\d+$/.test(pair.value) ? { pair, value: Number(pair.value) } : undefined;
  };
  for (const key of TIMEOUT_KEYS) {
    const t = ms(key);
    // 0 means "use the default" to corosync, which accepts it.
    if (t && t.value > 0 && t.value < MINIMUM_TIMEOUT_MS) {
      report(
        atValue(t.pair),
        "error",
        "timeout-too-small",
        `${key} ${t.value} ms is below corosync's minimum of ${MINIMUM_TIMEOUT_MS} ms`,
      );
    }
  }
  const tokenMs = ms("token")?.value ?? DEFAULT_TOKEN_MS;
  const consensus = ms("consensus");
  if (consensus && consensus.value < 1.2 * tokenMs) {
    report(
      atValue(consensus.pair),
      "error",
      "consensus-too-small",
      `consensus ${consensus.value} ms is below 1.2 x token (${1.2 * tokenMs} ms); raise it or leave it unset`,
    );
  }
  const joinMs = ms("join")?.value ?? DEFAULT_JOIN_MS;
  if (consensus && consensus.value < joinMs) {
    report(
      atValue(consensus.pair),
      "error",
      "consensus-below-join",
      `consensus ${consensus.value} ms is below join (${joinMs} ms); corosync refuses it`,
    );
  }
}

function checkQuorum(root: IndexedSection, nodeCount: number, report: Report): void {
  const quorum = sectionsAt(root, "quorum")[0];
  if (quorum === undefined || !quorum.pairs.has("provider")) {
    report(
      quorum ? atSection(quorum) : { line: 1, column: 1 },
      "warning",
      "no-quorum-provider",
      "no quorum provider: Pacemaker needs quorum { provider: corosync_votequorum }",
    );
    return;
  }
  const flag = (key: string) => quorum.pairs.get(key)?.value === "1";
  const twoNode = quorum.pairs.get("two_node");
  if (twoNode?.value === "1" && nodeCount > 2) {
    report(
      atKey(twoNode),
      "error",
      "two-node-too-many",
      `two_node is for exactly two nodes, but the nodelist has ${nodeCount}`,
    );
  }
  if (
    nodeCount === 2 &&
    !flag("two_node") &&
    !quorum.pairs.has("expected_votes") &&
    !flag("auto_tie_breaker")
  ) {
    report(
      atSection(quorum),
      "warning",
      "two-node-missing",
      "a two-node cluster without two_node: 1 loses quorum whenever one node fails",
    );
  }
  const lms = quorum.pairs.get("last_man_standing");
  if (lms?.value === "1" && nodeCount <= 2) {
    report(
      atKey(lms),
      "warning",
      "last-man-standing-two-nodes",
      "last_man_standing only helps clusters of three or more nodes; with two_node it has no effect",
    );
  }
  const expected = quorum.pairs.get("expected_votes");
  if (
    expected &&
    nodeCount > 0 &&
    Number(expected.value) !== nodeCount &&
    !quorum.pairs.has("device")
  ) {
    report(
      atValue(expected),
      "warning",
      "expected-votes-mismatch",
      `expected_votes is ${expected.value} but the nodelist has ${nodeCount} nodes`,
    );
  }
}

/** Checks totem (version, transport, crypto, timeouts, interfaces); returns the transport in effect. */
function checkTotem(root: IndexedSection, totem: IndexedSection, report: Report): string {
  if (!totem.pairs.has("version"))
    report(
      atSection(totem),
      "error",
      "missing-version",
      "totem has no version: corosync only reads version 2 configurations; add version: 2",
    );
  if (!totem.pairs.has("cluster_name"))
    report(
      atSection(totem),
      "warning",
      "missing-cluster-name",
      "totem has no cluster_name; DLM and pcs need one",
    );
  const transportPair = totem.pairs.get("transport");
  // An invalid transport is reported as invalid-value; judge the rest as corosync's default, knet.
  const transport = ["knet", "udp", "udpu"].includes(transportPair?.value ?? "")
    ? transportPair!.value
    : "knet";
  if (transportPair && (transport === "udpu" || transport === "udp")) {
    report(
      atValue(transportPair),
      "warning",
      "legacy-transport",
      `transport ${transport} is legacy: it cannot encrypt and has a single link; use knet`,
    );
  }
  checkCrypto(totem, transport, report);
  checkTimeouts(totem, report);
  const linknumbers = new Map<string, number>();
  for (const iface of sectionsAt(root, "totem.interface")) {
    const ln = iface.pairs.get("linknumber") ?? iface.pairs.get("ringnumber");
    if (ln) {
      const first = linknumbers.get(ln.value);
      if (first !== undefined)
        report(
          atValue(ln),
          "error",
          "duplicate-linknumber",
          `link ${ln.value} is already configured on line ${first}`,
        );
      else linknumbers.set(ln.value, ln.line);
    }
    if (transport === "knet") {
      for (const key of ["bindnetaddr", "mcastaddr", "mcastport", "broadcast", "ttl"]) {
        const pair = iface.pairs.get(key);
        if (pair)
          report(
            atKey(pair),
            "warning",
            "udp-only-key",
            `${key} applies to the udp transport only; knet ignores it`,
          );
      }
    }
  }
  return transport;
}

/** Cross-key checks: nodes, links, crypto, timeouts, quorum and logging. */
export function checkSemantics(root: IndexedSection, report: Report): void {
  const totem = sectionsAt(root, "totem")[0];
  let transport = "knet";
  if (totem === undefined) {
    report(
      { line: 1, column: 1 },
      "error",
      "missing-totem",
      "no totem section: corosync needs totem { version: 2 ... }",
    );
  } else {
    transport = checkTotem(root, totem, report);
  }
  const ipVersion = totem?.pairs.get("ip_version")?.value;
  const nodes = checkNodes(root, { transport, ...(ipVersion ? { ipVersion } : {}) }, report);
  checkQuorum(root, nodes.length, report);
  for (const iface of sectionsAt(root, "totem.interface")) {
    const ln = iface.pairs.get("linknumber") ?? iface.pairs.get("ringnumber");
    if (ln && nodes.length > 0 && !nodes.some((n) => n.pairs.has(`ring${ln.value}_addr`))) {
      report(
        atValue(ln),
        "warning",
        "interface-without-addresses",
        `interface for link ${ln.value} has no ring${ln.value}_addr in any node; corosync ignores it`,
      );
    }
  }
  const logging = sectionsAt(root, "logging")[0];
  const toLogfile = logging?.pairs.get("to_logfile");
  if (
    logging &&
    (toLogfile?.value === "yes" || toLogfile?.value === "on") &&
    !logging.pairs.has("logfile")
  ) {
    report(
      atKey(toLogfile!),
      "warning",
      "logfile-missing",
      "to_logfile is on but no logfile is set",
    );
  }
}
