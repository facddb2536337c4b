import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generate, generateAuthkey } from "@ocfkit/corosync";
import { installAgent } from "../../src/index.js";
import type { ActionResult } from "./upstream.js";
import { collect, createWorld, type World } from "./world.js";

// Runs inside `ip netns exec NS unshare --mount --uts`: private /etc/corosync, /var/lib/pacemaker,
// logs, /run and /dev/shm (see /work/shared/lab/two-node-notes.md), then corosync and pacemakerd.
const BOOT = `set -eu
d=$1
echo $$ > "$d/boot.pid"
hostname n1
mount --make-rprivate /
mount --bind "$d/etc-corosync" /etc/corosync
mount --bind "$d/var-lib-pacemaker" /var/lib/pacemaker
mount --bind "$d/var-lib-corosync" /var/lib/corosync
mount --bind "$d/var-log-pacemaker" /var/log/pacemaker
mkdir -p /var/log/corosync; mount --bind "$d/var-log-corosync" /var/log/corosync
mount -t tmpfs -o mode=1777 ocfk-shm /dev/shm
mount -t tmpfs -o mode=755 ocfk-run /run
mkdir -p /run/lock /run/resource-agents /run/crm /run/pacemaker; ln -s /dev/shm /run/shm; chmod 1777 /run/lock
export PCMK_logfile=/var/log/pacemaker/pacemaker.log PCMK_logfacility=none
corosync -f > "$d/corosync.out" 2>&1 &
for _ in $(seq 100); do corosync-cfgtool -s >/dev/null 2>&1 && break; sleep 0.1; done
pacemakerd -f > "$d/pacemakerd.out" 2>&1 &
wait || true
`;

/** A one-node Corosync + Pacemaker cluster in its own net + mount + UTS namespaces. */
export interface SingleNodeCluster {
  readonly dir: string;
  /** Runs a command inside the node's namespaces (asynchronously: the emulator lives in this process). */
  exec(command: string, args: string[]): Promise<ActionResult>;
  /** Polls `check` until it returns true, or fails with `what` after `timeoutMs`. */
  waitFor(what: string, check: () => Promise<boolean>, timeoutMs?: number): Promise<void>;
  /** The node's Pacemaker log (for failure messages). */
  log(): string;
  /** Kills every process in the node's mount namespace by PID and removes its files. */
  stop(): void;
}

function mountNs(pid: string): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/mnt`);
  } catch {
    return undefined;
  }
}

/**
 * Boots corosync + pacemakerd as node `n1` inside `netns` (whose interface carries `address`),
 * stonith disabled and a short dc-deadtime through a pre-seeded CIB.
 */
export async function startSingleNodeCluster(
  netns: string,
  address: string,
): Promise<SingleNodeCluster> {
  const dir = mkdtempSync(join(tmpdir(), "ocfk-pcmk-"));
  for (const sub of [
    "etc-corosync",
    "var-lib-pacemaker/cib",
    "var-lib-pacemaker/pengine",
    "var-lib-pacemaker/blackbox",
    "var-lib-pacemaker/cores",
    "var-lib-corosync",
    "var-log-pacemaker",
    "var-log-corosync",
  ]) {
    mkdirSync(join(dir, sub), { recursive: true });
  }
  execFileSync("chown", [
    "-R",
    "hacluster:haclient",
    join(dir, "var-lib-pacemaker"),
    join(dir, "var-log-pacemaker"),
  ]);
  chmodSync(join(dir, "var-log-pacemaker"), 0o770);
  writeFileSync(
    join(dir, "etc-corosync", "corosync.conf"),
    generate({
      clusterName: "ocfkvip",
      nodes: [{ name: "n1", addrs: [address], nodeid: 1 }],
      token: 1000,
      logging: {
        toSyslog: false,
        toStderr: false,
        logfile: "/var/log/corosync/corosync.log",
        timestamp: "hires",
      },
    }),
  );
  writeFileSync(join(dir, "etc-corosync", "authkey"), generateAuthkey(), { mode: 0o400 });
  const cib = join(dir, "cib.xml");
  writeFileSync(cib, execFileSync("cibadmin", ["--empty"]));
  for (const [name, value] of [
    ["stonith-enabled", "false"],
    ["dc-deadtime", "2s"],
    ["no-quorum-policy", "ignore"],
  ]) {
    execFileSync("crm_attribute", ["-t", "crm_config", "-n", name!, "-v", value!], {
      env: { ...process.env, CIB_file: cib },
    });
  }
  execFileSync("install", [
    "-o",
    "hacluster",
    "-g",
    "haclient",
    "-m",
    "600",
    cib,
    join(dir, "var-lib-pacemaker", "cib", "cib.xml"),
  ]);
  writeFileSync(join(dir, "boot.sh"), BOOT);
  const boot: ChildProcess = spawn(
    "setsid",
    [
      "ip",
      "netns",
      "exec",
      netns,
      "unshare",
      "--mount",
      "--uts",
      "--propagation",
      "private",
      "--",
      "bash",
      join(dir, "boot.sh"),
      dir,
    ],
    { stdio: "ignore", detached: true },
  );
  boot.unref();
  const bootPid = async (): Promise<string> => {
    for (let i = 0; i < 100; i++) {
      try {
        return readFileSync(join(dir, "boot.pid"), "utf8").trim();
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    throw new Error("the node never booted");
  };
  const pid = await bootPid();
  const cluster: SingleNodeCluster = {
    dir,
    exec: (command, args) =>
      collect(
        spawn("nsenter", ["-t", pid, "-m", "-n", "-u", "--", command, ...args], {
          stdio: ["ignore", "pipe", "pipe"],
        }),
      ),
    async waitFor(what, check, timeoutMs = 60_000) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        if (await check()) return;
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error(
        `timed out waiting for ${what}; pacemaker log tail:\n${cluster.log().split("\n").slice(-40).join("\n")}`,
      );
    },
    log: () => {
      try {
        return readFileSync(join(dir, "var-log-pacemaker", "pacemaker.log"), "utf8");
      } catch {
        return "(no pacemaker log)";
      }
    },
    stop: () => {
      const ns = mountNs(pid);
      if (ns !== undefined) {
        for (const p of readdirSync("/proc").filter((e) => /^\d+$/.test(e))) {
          if (p !== String(process.pid) && mountNs(p) === ns) {
            try {
              process.kill(Number(p), "SIGKILL");
            } catch {
              // already gone
            }
          }
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await cluster.waitFor(
      "n1 online",
      async () => /Online:\s*\[\s*n1\s*\]/.test((await cluster.exec("crm_mon", ["-1"])).stdout),
      60_000,
    );
  } catch (error) {
    cluster.stop();
    throw error;
  }
  return cluster;
}

/** A world with node1 only, the agent installed under a random provider, and Pacemaker on node1. */
export interface PacemakerLab {
  /** The random OCF provider the agent is installed under (`ocf:<provider>:ocivip`). */
  readonly provider: string;
  readonly world: World;
  readonly cluster: SingleNodeCluster;
  /** Stops Pacemaker, removes the provider directory, closes the world. */
  close(): Promise<void>;
}

/** Brings up a {@link PacemakerLab}; everything started is torn down again if a step fails. */
export async function startPacemakerLab(providerPrefix: string): Promise<PacemakerLab> {
  const provider = `${providerPrefix}-${randomBytes(3).toString("hex")}`;
  const world = await createWorld({ nodes: { node1: undefined } });
  let cluster: SingleNodeCluster | undefined;
  const close = async () => {
    cluster?.stop();
    rmSync(`/usr/lib/ocf/resource.d/${provider}`, { recursive: true, force: true });
    await world.close();
  };
  try {
    await installAgent({ provider, entry: world.agent.entry });
    cluster = await startSingleNodeCluster(world.nodes.node1!.ns.name, "192.0.2.11");
  } catch (error) {
    await close();
    throw error;
  }
  return { provider, world, cluster, close };
}
