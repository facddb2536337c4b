import { chmod, chown, mkdir, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runCommand } from "./exec.js";
import type { NodePlan } from "./plan.js";

/** Host directory bound over each private system path inside a node's mount namespace. */
export const nodeMounts = [
  { dir: "etc-corosync", target: "/etc/corosync" },
  { dir: "var-lib-pacemaker", target: "/var/lib/pacemaker" },
  { dir: "var-lib-corosync", target: "/var/lib/corosync" },
  { dir: "var-log-pacemaker", target: "/var/log/pacemaker" },
  { dir: "var-log-corosync", target: "/var/log/corosync" },
] as const;

/** Where a node's logs live on the host (readable after the node is gone). */
export function nodeLogFiles(node: NodePlan): { corosync: string; pacemaker: string } {
  return {
    corosync: join(node.dir, "var-log-corosync", "corosync.log"),
    pacemaker: join(node.dir, "var-log-pacemaker", "pacemaker.log"),
  };
}

async function lookupId(file: string, name: string): Promise<number> {
  const line = (await readFile(file, "utf8")).split("\n").find((l) => l.startsWith(`${name}:`));
  const id = Number(line?.split(":")[2]);
  if (!Number.isInteger(id))
    throw new Error(`${name} not found in ${file}: is pacemaker installed?`);
  return id;
}

/**
 * A CIB with the cluster options the lab needs before the first election: no fencing (nothing
 * to fence with here), a short dc-deadtime (first DC in ≈ 4 s instead of 20 s), stickiness.
 */
export async function createSeedCib(
  workDir: string,
  options: { dcDeadtime: string; stickiness: number },
): Promise<string> {
  const file = join(workDir, "seed-cib.xml");
  const empty = await runCommand("cibadmin", ["--empty"]);
  await writeFile(file, empty.stdout);
  const env = { CIB_file: file };
  const set = (type: string, name: string, value: string) =>
    runCommand("crm_attribute", ["--type", type, "--name", name, "--update", value], { env });
  await set("crm_config", "stonith-enabled", "false");
  await set("crm_config", "dc-deadtime", options.dcDeadtime);
  // crm_attribute cannot create the rsc_defaults section in file mode: add it whole.
  const stickiness =
    `<rsc_defaults><meta_attributes id="rsc-options"><nvpair id="rsc-options-resource-stickiness" ` +
    `name="resource-stickiness" value="${options.stickiness}"/></meta_attributes></rsc_defaults>`;
  await runCommand("cibadmin", ["--create", "--scope", "configuration", "--xml-text", stickiness], {
    env,
  });
  return readFile(file, "utf8");
}

/** Creates a node's private state directories, corosync config, authkey and seeded CIB. */
export async function prepareNodeFiles(
  node: NodePlan,
  files: { corosyncConf: string; authkey: Buffer; cib: string },
): Promise<void> {
  const uid = await lookupId("/etc/passwd", "hacluster");
  const gid = await lookupId("/etc/group", "haclient");
  for (const mount of nodeMounts) await mkdir(join(node.dir, mount.dir), { recursive: true });
  const pacemakerDirs = ["cib", "pengine", "blackbox", "cores"].map((d) =>
    join(node.dir, "var-lib-pacemaker", d),
  );
  for (const dir of pacemakerDirs) {
    await mkdir(dir, { recursive: true });
    await chown(dir, uid, gid);
    await chmod(dir, 0o750);
  }
  const logDir = join(node.dir, "var-log-pacemaker");
  await chown(logDir, uid, gid);
  await chmod(logDir, 0o770);
  await writeFile(join(node.dir, "etc-corosync", "corosync.conf"), files.corosyncConf);
  await writeFile(join(node.dir, "etc-corosync", "authkey"), files.authkey, { mode: 0o400 });
  const cibFile = join(node.dir, "var-lib-pacemaker", "cib", "cib.xml");
  await writeFile(cibFile, files.cib, { mode: 0o600 });
  await chown(cibFile, uid, gid);
}

/**
 * Builds the run's own `resource.d` under `ocfRoot`: a symlink per host provider (to where a node
 * sees the host's directory) so every stock agent still resolves, leaving room for agents under
 * test; returns the `resource.d` path to bind inside the nodes.
 */
export async function prepareOcfRoot(
  ocfRoot: string,
  hostResourceDirInNode: string,
  ownProviders: readonly string[],
): Promise<string> {
  const resourceDir = join(ocfRoot, "resource.d");
  await mkdir(resourceDir, { recursive: true });
  for (const provider of await readdir(hostOcfResourceDir)) {
    // A provider under test shadows one installed on the host.
    if (ownProviders.includes(provider)) continue;
    await symlink(join(hostResourceDirInNode, provider), join(resourceDir, provider));
  }
  return resourceDir;
}

/** The host's OCF agents directory (compiled into Pacemaker 2.1; `OCF_RA_PATH` is not read). */
export const hostOcfResourceDir = "/usr/lib/ocf/resource.d";
