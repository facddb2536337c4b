import { generate, generateAuthkey } from "@ocfkit/corosync";

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
 * corosync.conf for the lab, from `@ocfkit/corosync`'s generator: knet with aes256/sha256
 * crypto, votequorum (two_node for two nodes), and a hires-timestamped log file, no syslog,
 * because the failover timeline is read from that log.
 */
export function renderCorosyncConf(input: CorosyncConfInput): string {
  return generate({
    clusterName: input.clusterName,
    nodes: input.nodes.map((node) => ({
      name: node.name,
      nodeid: node.nodeid,
      addrs: [node.address],
    })),
    token: input.tokenMs,
    crypto: { cipher: "aes256", hash: "sha256" },
    logging: {
      toSyslog: false,
      toStderr: false,
      logfile: "/var/log/corosync/corosync.log",
      timestamp: "hires",
    },
    comments: true,
  });
}

/** A fresh random corosync authkey (256 bytes, as corosync-keygen writes). */
export function createAuthkey(): Buffer {
  return generateAuthkey();
}
