import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { E2eError } from "./errors.js";
import { type CommandResult, type RunOptions, runCommand, waitFor } from "./exec.js";
import { nodeMounts } from "./node-files.js";
import type { NodePlan } from "./plan.js";

/** A node's live processes: the namespace holder and the two daemons started in it. */
export interface NodeProcesses {
  /** `sleep infinity` holding the node's mount + UTS namespaces (inside its network namespace). */
  readonly holderPid: number;
  /** `/proc/<pid>/ns/mnt` of the holder: every process of the node shares it. */
  readonly mountNamespace: string;
  readonly corosync: ChildProcess;
  readonly pacemakerd: ChildProcess;
}

// Inside the node's fresh mount namespace: private /run and /dev/shm (corosync's lock file,
// libqb rings, HA_RSCTMP), bind mounts for config/state/logs, and the node's hostname.
/** Where a node sees the host's own /usr/lib/ocf/resource.d once the run's is bound over it. */
export const hostResourceDirInNode = "/run/ocf-host-resource.d";

// With an OCF directory, the host's resource.d stays reachable under /run and the run's own
// resource.d (host providers symlinked, plus the agents under test) is bound in its place.
const bootScript = `set -eu
dir=$1; hostname "$2"; ocf=$3; shift 3
mount --make-rprivate /
while [ $# -gt 0 ]; do mkdir -p "$2"; mount --bind "$dir/$1" "$2"; shift 2; done
mount -t tmpfs -o mode=1777 ocfk-shm /dev/shm
mount -t tmpfs -o mode=755 ocfk-run /run
mkdir -p /run/lock /run/resource-agents /run/crm /run/pacemaker
chmod 1777 /run/lock
ln -s /dev/shm /run/shm
if [ "$ocf" != - ]; then
  mkdir -p ${hostResourceDirInNode}
  mount --bind /usr/lib/ocf/resource.d ${hostResourceDirInNode}
  mount --bind "$ocf" /usr/lib/ocf/resource.d
fi
`;

/** Environment of the cluster daemons: logs into the node's private log dirs, a sane PATH. */
function daemonEnv(): NodeJS.ProcessEnv {
  const path = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];
  const nodeBin = process.execPath.replace(/\/node$/, "");
  return {
    ...process.env,
    PATH: [nodeBin, ...path].join(":"),
    PCMK_logfile: "/var/log/pacemaker/pacemaker.log",
    PCMK_logfacility: "none",
  };
}

function mountNamespaceOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/mnt`);
  } catch {
    return undefined;
  }
}

/** True while `pid` exists and is not a zombie (SIGKILLed daemons linger as zombies until reaped). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** Every PID living in the mount namespace `mountNamespace`: a node's whole process tree. */
export function pidsInMountNamespace(mountNamespace: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (mountNamespaceOf(pid) === mountNamespace) pids.push(pid);
  }
  return pids;
}

/** SIGKILLs every process of a mount namespace, then waits (≤ 5 s) until none is left alive. */
export async function killMountNamespace(mountNamespace: string): Promise<number[]> {
  const pids = pidsInMountNamespace(mountNamespace);
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  await waitFor(
    `processes ${pids.join(" ")} to die`,
    async () => (pids.some(isAlive) ? undefined : true),
    { timeoutMs: 5000, intervalMs: 50 },
  );
  return pids;
}

/** Runs a command inside a node's network, mount and UTS namespaces (nsenter by PID). */
export function execInNode(
  holderPid: number,
  command: string,
  args: readonly string[],
  options?: RunOptions,
): Promise<CommandResult> {
  return runCommand(
    "nsenter",
    ["-t", String(holderPid), "-m", "-n", "-u", "--", command, ...args],
    {
      env: { PATH: daemonEnv().PATH ?? "" },
      ...options,
    },
  );
}

function spawnDaemon(holderPid: number, node: NodePlan, command: string): ChildProcess {
  const out = openSync(join(node.dir, `${command}.out`), "a");
  try {
    const child = spawn(
      "nsenter",
      ["-t", String(holderPid), "-m", "-n", "-u", "--", command, "-f"],
      { detached: true, stdio: ["ignore", out, out], env: daemonEnv() },
    );
    child.on("error", () => {
      // Reported through the readiness wait; keeps an ENOENT from crashing the process.
    });
    child.unref();
    return child;
  } finally {
    closeSync(out);
  }
}

async function startHolder(node: NodePlan): Promise<{ pid: number; mountNamespace: string }> {
  const own = mountNamespaceOf(process.pid);
  const holder = spawn(
    "ip",
    [
      "netns",
      "exec",
      node.netns,
      "unshare",
      "--mount",
      "--uts",
      "--propagation",
      "private",
      "--",
      "sleep",
      "infinity",
    ],
    { detached: true, stdio: "ignore" },
  );
  holder.unref();
  const pid = holder.pid;
  if (pid === undefined)
    throw new E2eError("NODE_START_FAILED", `cannot start ${node.name}'s namespace holder`);
  // ip and unshare exec in place: the PID becomes `sleep` once the namespaces exist.
  const mountNamespace = await waitFor(
    `${node.name}'s namespaces`,
    async () => {
      const comm = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
      const ns = mountNamespaceOf(pid);
      return comm === "sleep" && ns !== undefined && ns !== own ? ns : undefined;
    },
    { timeoutMs: 5000, intervalMs: 10 },
  );
  return { pid, mountNamespace };
}

/**
 * Boots a node: namespace holder, private mounts and hostname, `corosync -f` (waits until its
 * IPC answers), then `pacemakerd -f`. Logs go to the node's directory on the host.
 */
export async function startNodeProcesses(
  node: NodePlan,
  ocfResourceDir?: string,
): Promise<NodeProcesses> {
  const holder = await startHolder(node);
  try {
    const mountArgs = nodeMounts.flatMap((m) => [m.dir, m.target]);
    await runCommand("nsenter", [
      "-t",
      String(holder.pid),
      "-m",
      "-u",
      "--",
      "sh",
      "-c",
      bootScript,
      "boot",
      node.dir,
      node.name,
      ocfResourceDir ?? "-",
      ...mountArgs,
    ]);
    const corosync = spawnDaemon(holder.pid, node, "corosync");
    await waitFor(
      `corosync on ${node.name} (see ${join(node.dir, "corosync.out")})`,
      async () => {
        if (corosync.exitCode !== null)
          throw new E2eError(
            "NODE_START_FAILED",
            `corosync on ${node.name} exited with ${corosync.exitCode}`,
          );
        const r = await execInNode(holder.pid, "corosync-cfgtool", ["-s"], { allowFailure: true });
        return r.exitCode === 0 ? true : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 50 },
    );
    const pacemakerd = spawnDaemon(holder.pid, node, "pacemakerd");
    return { holderPid: holder.pid, mountNamespace: holder.mountNamespace, corosync, pacemakerd };
  } catch (error) {
    await killMountNamespace(holder.mountNamespace).catch(() => undefined);
    throw new E2eError(
      "NODE_START_FAILED",
      `${node.name} did not start: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
