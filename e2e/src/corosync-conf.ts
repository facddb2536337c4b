import { randomBytes } from "node:crypto";

/** What the harness needs written into corosync.conf. */
export interface CorosyncConfInput {
  readonly clusterName: string;
  readonly tokenMs: number;
  readonly nodes: readonly {
    readonly name: string;
    readonly nodeid: number;
    readonly address: string;
  }[];
}

/**
 * corosync.conf for the lab: knet with aes256/sha256 crypto, votequorum (two_node for two nodes),
 * hires timestamps in the log the timeline reads. Interim local writer until `@ocfkit/corosync`
 * ships `generate`; see corosync.conf(5) and votequorum(5).
 */
export function renderCorosyncConf(input: CorosyncConfInput): string {
  const nodes = input.nodes
    .map(
      (node) =>
        `    node {\n        name: ${node.name}\n        nodeid: ${node.nodeid}\n        ring0_addr: ${node.address}\n    }`,
    )
    .join("\n");
  const twoNode = input.nodes.length === 2 ? "    two_node: 1\n" : "";
  return `totem {
    version: 2
    cluster_name: ${input.clusterName}
    transport: knet
    crypto_cipher: aes256
    crypto_hash: sha256
    token: ${input.tokenMs}
}

logging {
    to_stderr: no
    to_syslog: no
    to_logfile: yes
    logfile: /var/log/corosync/corosync.log
    timestamp: hires
}

quorum {
    provider: corosync_votequorum
${twoNode}}

nodelist {
${nodes}
}
`;
}

// corosync-keygen's default and knet's maximum key length is 256 bytes (corosync-keygen(8)).
const authkeyBytes = 256;

/** A fresh random corosync authkey (256 bytes). */
export function createAuthkey(): Buffer {
  return randomBytes(authkeyBytes);
}
