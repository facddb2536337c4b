import { existsSync, readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { installFenceAgent } from "@ocfkit/fence-oci";
import type { PowerChange } from "@ocfkit/oci-emulator";
import { settledOn } from "./crm-mon.js";
import { E2eError } from "./errors.js";
import { sleep, waitFor } from "./exec.js";
import type { FailoverLab } from "./lab.js";

/** Where Pacemaker's fencer runs fence agents from: the host's /usr/sbin, seen by every node. */
const launcherPath = "/usr/sbin/fence_oci";
const launcherMark = "ocfkit fence_oci launcher";
/** The built agent (`pnpm build`): the launcher runs what users run. */
const builtCli = fileURLToPath(new URL("../../packages/fence-oci/dist/cli.js", import.meta.url));

/** Fencing set up on a lab: the devices, the power changes seen, and how to undo it. */
export interface Fencing {
  /** Fence device ids, one per node (`fence-<node>`). */
  readonly devices: readonly string[];
  /** Every power change the emulator reported (and the harness acted on), in order. */
  readonly powerChanges: readonly (PowerChange & { t: number })[];
  /** Errors of harness reactions to power changes (must stay empty). */
  readonly hookErrors: readonly string[];
  /** Removes the power hook and the launcher from /usr/sbin. */
  close(): Promise<void>;
}

/** Options of {@link enableFencing}. */
export interface FencingOptions {
  /** The node whose device waits before fencing it (the two-node tie-breaker); default node1. */
  readonly delayedNode?: string;
  /**
   * That delay in seconds: fence_oci's own `delay` option, which it takes right before the
   * power-off (so it still holds when an API outage made both nodes' agents wait); default 5.
   */
  readonly delaySeconds?: number;
}

/**
 * Turns fencing on in an ocivip lab, as the tutorial does: installs `fence_oci` in /usr/sbin,
 * creates one `fence_oci` device per node with `pcs stonith create` (pcmk_host_map to the node's
 * instance OCID; the device runs on the other node and signs as that node's instance principal),
 * a delay on one, and `stonith-enabled=true`. The emulator's power changes drive the lab: an
 * instance that loses power has every process killed and its link pulled; one that regains power
 * boots (corosync + pacemaker start).
 */
export async function enableFencing(
  lab: FailoverLab,
  options: FencingOptions = {},
): Promise<Fencing> {
  const cloud = lab.cloud;
  if (!cloud) throw new E2eError("BAD_OPTION", 'fencing needs a lab created with agent: "ocivip"');
  if (!existsSync(builtCli)) {
    throw new E2eError("BAD_OPTION", `${builtCli} is missing: run pnpm build first`);
  }
  if (existsSync(launcherPath) && !readFileSync(launcherPath, "utf8").includes(launcherMark)) {
    throw new E2eError(
      "BAD_OPTION",
      `${launcherPath} exists and is not ours: refusing to replace it`,
    );
  }
  await installFenceAgent({ entry: builtCli });
  const { cluster } = lab;
  const emulator = cloud.emulator;
  const powerChanges: (PowerChange & { t: number })[] = [];
  const hookErrors: string[] = [];
  const unsubscribe = emulator.compute.onPowerChange(async (change) => {
    powerChanges.push({ ...change, t: Date.now() });
    lab.progress(`power ${change.power}`, `${change.instance} (${change.action})`);
    try {
      if (change.power === "off" && cluster.runningNodes().includes(change.instance)) {
        await cluster.killNode(change.instance);
      } else if (change.power === "on" && !cluster.runningNodes().includes(change.instance)) {
        // Boot in the background: the instance is RUNNING once it boots, not once it rejoined.
        void cluster.rejoin(change.instance).catch((e: unknown) => {
          hookErrors.push(`rejoin ${change.instance}: ${(e as Error).message}`);
        });
      }
    } catch (error) {
      hookErrors.push(`${change.power} ${change.instance}: ${(error as Error).message}`);
    }
  });
  const nodes = cluster.plan.nodes.map((n) => n.name);
  const via = nodes[0]!;
  const pcs = (args: string[]) => cluster.exec(via, "pcs", args, { timeoutMs: 60_000 });
  const devices: string[] = [];
  const delayedNode = options.delayedNode ?? "node1";
  for (const node of nodes) {
    const instance = emulator.scenario.instances.find((i) => i.name === node);
    const runner = nodes.find((n) => n !== node);
    if (!instance || !runner) throw new E2eError("BAD_OPTION", `no instance or peer for ${node}`);
    const id = `fence-${node}`;
    await pcs([
      "stonith",
      "create",
      id,
      "fence_oci",
      `pcmk_host_map=${node}:${instance.id}`,
      // The device runs on the other node and authenticates as that instance.
      `metadata_endpoint=${cloud.urls.imds[runner]}`,
      `federation_endpoint=${cloud.urls.federation}`,
      `api_endpoint=${cloud.urls.api}`,
      `region=${emulator.region}`,
      "power_timeout=30",
      "stonith_status_sleep=0.2",
      "api_timeout=10",
      ...(node === delayedNode ? [`delay=${options.delaySeconds ?? 5}`] : []),
      "op",
      "monitor",
      "interval=60s",
    ]);
    await pcs(["constraint", "location", id, "avoids", node]);
    devices.push(id);
  }
  await pcs(["property", "set", "stonith-enabled=true"]);
  await cluster.waitForStatus(
    "fence devices started",
    (s) => devices.every((d) => settledOn(s, d).length === 1),
    60_000,
  );
  return {
    devices,
    powerChanges,
    hookErrors,
    async close() {
      unsubscribe();
      if (existsSync(launcherPath) && readFileSync(launcherPath, "utf8").includes(launcherMark)) {
        await rm(launcherPath, { force: true });
      }
    },
  };
}

/** What a split with fencing did. */
export interface FencedSplitResult {
  readonly ownerBefore: string;
  /** Nodes powered off during the split (exactly one expected). */
  readonly fenced: readonly string[];
  readonly survivor: string | undefined;
  /** Split → the VIP up on exactly the survivor (sampler), ms. */
  readonly vipOnSurvivorMs: number;
  /** Samples with the VIP on two up links since the split (must be 0). */
  readonly dualActiveSamples: number;
  /** Instances holding the VIP in the emulator at the end. */
  readonly cloudHolders: readonly string[];
}

/**
 * The nodes lose each other; with fencing one powers the other off (the delay decides which),
 * then runs the VIP alone. Heals the split and waits until the fenced node is back Online.
 */
export async function runFencedSplitScenario(
  lab: FailoverLab,
  fencing: Fencing,
): Promise<FencedSplitResult> {
  const cloud = lab.cloud!;
  const ownerBefore = (await lab.owner()) ?? "";
  const offsBefore = fencing.powerChanges.filter((c) => c.power === "off").length;
  lab.progress("split", "nodes isolated from each other, fencing on");
  const splitAt = Date.now();
  await lab.cluster.setSplit(true);
  const settled = await waitFor(
    "one node fenced and the VIP on the other",
    async () => {
      const offs = fencing.powerChanges.filter((c) => c.power === "off").slice(offsBefore);
      if (offs.length === 0) return undefined;
      const fencedNode = offs[0]!.instance;
      const survivor = lab.cluster.plan.nodes.map((n) => n.name).find((n) => n !== fencedNode);
      const up = survivor ? lab.sampler.firstOwnedBy(survivor, splitAt) : undefined;
      return up && survivor ? { survivor, t: up.t } : undefined;
    },
    { timeoutMs: 90_000, intervalMs: 100 },
  );
  await sleep(1000);
  const fenced = [
    ...new Set(
      fencing.powerChanges
        .filter((c) => c.power === "off")
        .slice(offsBefore)
        .map((c) => c.instance),
    ),
  ];
  const dualActiveSamples = lab.sampler.statsSince(splitAt).dualActiveSamples;
  lab.progress("heal");
  await lab.cluster.setSplit(false);
  await lab.cluster.waitForStatus(
    "every node Online after the fenced node booted",
    (s) => lab.cluster.plan.nodes.every((n) => s.nodes.some((x) => x.name === n.name && x.online)),
    90_000,
  );
  return {
    ownerBefore,
    fenced,
    survivor: settled.survivor,
    vipOnSurvivorMs: settled.t - splitAt,
    dualActiveSamples,
    cloudHolders: cloud.holders(lab.resource.vip),
  };
}
