import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Test addresses only: the network-safety rule forbids anything outside TEST-NET. */
const TEST_NET = /^(192\.0\.2\.|198\.51\.100\.|2001:db8:)/i;

/** A network namespace holding given TEST-NET addresses on a veth pair that lives inside it. */
export interface TestNetns {
  name: string;
  /** Runs `corosync -t -c <config>` inside the namespace, with an optional private authkey and hosts file. */
  checkConfig(
    config: string | Uint8Array,
    options?: { authkey?: Buffer; hosts?: string },
  ): Promise<{ status: number; output: string }>;
}

async function ip(...args: string[]): Promise<void> {
  await run("ip", args);
}

/** A namespace plus the way to delete it (by name). */
export interface OwnedNetns extends TestNetns {
  destroy(): Promise<void>;
}

/** Creates a namespace named `ocfk-cs-<random>` whose veth holds `addrs`; call destroy() in a finally. */
export async function createNetns(addrs: string[]): Promise<OwnedNetns> {
  for (const a of addrs) {
    if (!TEST_NET.test(a)) throw new Error(`refusing non-TEST-NET address ${a}`);
  }
  const name = `ocfk-cs-${randomBytes(4).toString("hex")}`;
  const dir = await mkdtemp(join(tmpdir(), "ocfk-cs-"));
  const destroy = async () => {
    await run("ip", ["netns", "delete", name]).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await ip("netns", "add", name);
    // Both veth ends live inside the namespace: nothing appears on the host.
    await ip("-n", name, "link", "add", "cs0", "type", "veth", "peer", "name", "cs1");
    for (const a of addrs) {
      const v6 = a.includes(":");
      await ip(
        "-n",
        name,
        "addr",
        "add",
        `${a}/${v6 ? 64 : 24}`,
        "dev",
        "cs0",
        ...(v6 ? ["nodad"] : []),
      );
    }
    for (const dev of ["lo", "cs0", "cs1"]) await ip("-n", name, "link", "set", dev, "up");
    let counter = 0;
    const ns: TestNetns = {
      name,
      async checkConfig(config, options = {}) {
        const id = counter++;
        const confPath = join(dir, `corosync-${id}.conf`);
        await writeFile(confPath, config);
        const script: string[] = [
          "set -e",
          "mount -t tmpfs -o mode=0755 ocfk-cs /etc/corosync",
          // corosync -t opens the configured logfile: keep it off the host's /var/log.
          "mkdir -p /var/log/corosync && mount -t tmpfs ocfk-cs /var/log/corosync",
        ];
        if (options.authkey) {
          const keyPath = join(dir, `authkey-${id}`);
          await writeFile(keyPath, options.authkey, { mode: 0o400 });
          script.push(`cp ${keyPath} /etc/corosync/authkey`, "chmod 0400 /etc/corosync/authkey");
        }
        if (options.hosts !== undefined) {
          const hostsPath = join(dir, `hosts-${id}`);
          await writeFile(hostsPath, options.hosts);
          script.push(`mount --bind ${hostsPath} /etc/hosts`);
        }
        script.push(
          "set +e",
          `corosync -t -c ${confPath} 2>&1`,
          "rc=$?",
          "cat /var/log/corosync/* 2>/dev/null",
          "exit $rc",
        );
        try {
          // unshare -m: a private mount namespace, so the tmpfs never covers the host's /etc/corosync.
          const { stdout, stderr } = await run(
            "ip",
            [
              "netns",
              "exec",
              name,
              "unshare",
              "-m",
              "--propagation",
              "private",
              "sh",
              "-c",
              script.join("\n"),
            ],
            { timeout: 20_000 },
          );
          return { status: 0, output: stdout + stderr };
        } catch (error) {
          const e = error as { code?: number; stdout?: string; stderr?: string };
          return {
            status: typeof e.code === "number" ? e.code : -1,
            output: `${e.stdout ?? ""}${e.stderr ?? ""}`,
          };
        }
      },
    };
    return { ...ns, destroy };
  } catch (error) {
    await destroy();
    throw error;
  }
}

/** Runs `fn` with a fresh namespace and deletes it by name even when `fn` fails. */
export async function withNetns<T>(addrs: string[], fn: (ns: TestNetns) => Promise<T>): Promise<T> {
  const ns = await createNetns(addrs);
  try {
    return await fn(ns);
  } finally {
    await ns.destroy();
  }
}
