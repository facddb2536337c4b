import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createAuthkey, renderCorosyncConf } from "./corosync-conf.js";
import { runCommand } from "./exec.js";

const nodes = [
  { name: "node1", nodeid: 1, address: "192.0.2.11" },
  { name: "node2", nodeid: 2, address: "192.0.2.12" },
];

describe("renderCorosyncConf", () => {
  it("writes a configuration corosync itself accepts (corosync -t)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ocfk-conf-"));
    const text = renderCorosyncConf({ clusterName: "ocfk", tokenMs: 1000, nodes });
    await writeFile(join(dir, "corosync.conf"), text);
    await writeFile(join(dir, "authkey"), createAuthkey(), { mode: 0o400 });
    // corosync -t reads /etc/corosync/authkey, opens its log and looks for its own address:
    // give it private ones in throwaway mount and network namespaces.
    const script =
      'mount --bind "$1" /etc/corosync && mount --bind "$1" /var/log/corosync && ' +
      "ip link set lo up && ip address add 192.0.2.11/32 dev lo && " +
      "mount -t tmpfs none /dev/shm && exec corosync -t";
    const result = await runCommand(
      "unshare",
      ["--mount", "--net", "--propagation", "private", "--", "sh", "-c", script, "check", dir],
      { allowFailure: true },
    );
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(text).toMatch(/transport: knet/);
    expect(text).toMatch(/crypto_cipher: aes256/);
    expect(text).toMatch(/two_node: 1/);
  });

  it("uses two_node only for two nodes and makes 256-byte keys", () => {
    const three = [...nodes, { name: "node3", nodeid: 3, address: "192.0.2.13" }];
    expect(renderCorosyncConf({ clusterName: "x", tokenMs: 1000, nodes: three })).not.toMatch(
      /two_node/,
    );
    expect(createAuthkey()).toHaveLength(256);
  });
});
