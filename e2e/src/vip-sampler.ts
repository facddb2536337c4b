import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { z } from "zod";
import type { NodePlan } from "./plan.js";

const addressListSchema = z.array(
  z
    .object({
      ifname: z.string(),
      flags: z.array(z.string()),
      addr_info: z.array(z.object({ local: z.string().optional() }).loose()),
    })
    .loose(),
);

/** One sampling instant: which nodes hold the VIP on a link that is up. */
export interface VipSample {
  /** Wall-clock milliseconds. */
  readonly t: number;
  /** Nodes whose interface is up and carries the VIP (the ones that can answer for it). */
  readonly active: readonly string[];
  /** Nodes whose kernel has the VIP configured at all (a dead node's downed link may keep it). */
  readonly configured: readonly string[];
}

/** What the sampler saw between start and stop. */
export interface VipSamplerReport {
  readonly intervalMs: number;
  readonly samples: number;
  /** Samples where two or more nodes held the VIP on an up link: must be 0. */
  readonly dualActiveSamples: number;
  /** Each change of the active owner set, in order (the first entry is the initial state). */
  readonly changes: readonly VipSample[];
}

/** A running VIP sampler over every node namespace. */
export interface VipSampler {
  /** The most recent sample. */
  latest(): VipSample | undefined;
  /** First sample at or after `since` where exactly `node` holds the VIP; undefined if none yet. */
  firstOwnedBy(node: string, since: number): VipSample | undefined;
  /** Samples and two-owner samples taken at or after `since`. */
  statsSince(since: number): { samples: number; dualActiveSamples: number };
  stop(): VipSamplerReport;
  /** PIDs of the `ip` processes it runs (for emergency teardown). */
  readonly pids: readonly number[];
}

interface Probe {
  readonly node: string;
  readonly child: ChildProcessWithoutNullStreams;
  pending: ((line: string) => void) | undefined;
}

function holdsVip(
  line: string,
  ifname: string,
  vip: string,
): { configured: boolean; active: boolean } {
  const parsed = addressListSchema.safeParse(JSON.parse(line));
  const link = parsed.success ? parsed.data.find((l) => l.ifname === ifname) : undefined;
  const configured = link?.addr_info.some((a) => a.local === vip) ?? false;
  return { configured, active: configured && (link?.flags.includes("UP") ?? false) };
}

/**
 * Samples every node namespace every `intervalMs` (default 50) through one long-lived
 * `ip -json -batch -` per namespace, so sampling costs no process start per tick.
 */
export function startVipSampler(options: {
  nodes: readonly NodePlan[];
  vip: string;
  intervalMs?: number;
}): VipSampler {
  const intervalMs = options.intervalMs ?? 50;
  const probes: Probe[] = options.nodes.map((node) => {
    const child = spawn("ip", ["-json", "-force", "-n", node.netns, "-batch", "-"], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    child.on("error", () => undefined);
    child.stdin.on("error", () => undefined);
    const probe: Probe = { node: node.name, child, pending: undefined };
    createInterface({ input: child.stdout }).on("line", (line) => {
      const resolve = probe.pending;
      probe.pending = undefined;
      resolve?.(line);
    });
    return probe;
  });
  const history: VipSample[] = [];
  const changes: VipSample[] = [];
  let samples = 0;
  let dualActiveSamples = 0;
  let busy = false;

  const ask = (probe: Probe, ifname: string) =>
    new Promise<{ configured: boolean; active: boolean }>((resolve) => {
      probe.pending = (line) => {
        try {
          resolve(holdsVip(line, ifname, options.vip));
        } catch {
          resolve({ configured: false, active: false });
        }
      };
      probe.child.stdin.write(`address show dev ${ifname}\n`);
    });

  const tick = async () => {
    if (busy) return;
    busy = true;
    const t = Date.now();
    const results = await Promise.all(
      probes.map((probe, i) => ask(probe, options.nodes[i]?.ifname ?? "eth0")),
    );
    busy = false;
    const sample: VipSample = {
      t,
      active: probes.filter((_, i) => results[i]?.active).map((p) => p.node),
      configured: probes.filter((_, i) => results[i]?.configured).map((p) => p.node),
    };
    samples += 1;
    if (sample.active.length > 1) dualActiveSamples += 1;
    history.push(sample);
    const last = changes.at(-1);
    if (!last || last.active.join() !== sample.active.join()) changes.push(sample);
  };
  const timer = setInterval(() => void tick(), intervalMs);

  return {
    latest: () => history.at(-1),
    firstOwnedBy: (node, since) =>
      history.find((s) => s.t >= since && s.active.length === 1 && s.active[0] === node),
    statsSince(since) {
      const window = history.filter((s) => s.t >= since);
      return {
        samples: window.length,
        dualActiveSamples: window.filter((s) => s.active.length > 1).length,
      };
    },
    stop() {
      clearInterval(timer);
      for (const probe of probes) probe.child.kill("SIGKILL");
      return { intervalMs, samples, dualActiveSamples, changes };
    },
    pids: probes.flatMap((p) => (p.child.pid === undefined ? [] : [p.child.pid])),
  };
}
