import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { runCommand } from "./exec.js";
import type { ClusterPlan } from "./plan.js";

const attemptSchema = z.object({
  t: z.number(),
  ms: z.number(),
  reply: z.boolean(),
  how: z.string(),
});

/** One client attempt to reach the VIP (TCP connect; a RST counts as a reply). */
export type ProbeAttempt = z.infer<typeof attemptSchema>;

/** A client in its own namespace on the segment, probing the VIP continuously. */
export interface ClientProbe {
  attempts(): readonly ProbeAttempt[];
  /** First attempt sent at or after `since` that got a reply. */
  firstReplyAfter(since: number): ProbeAttempt | undefined;
  /** Attempts sent in [from, to) that got no reply. */
  lostBetween(from: number, to: number): number;
  stop(): readonly ProbeAttempt[];
  /** Plain-words state for error messages: alive or not, last attempts, what it printed. */
  describe(): string;
  readonly pid: number | undefined;
}

// Discard (RFC 863): nothing listens there, so the owner answers with a RST at once.
const defaultPort = 9;

/** Starts probing `vip` from the client namespace every `intervalMs` (default 50). */
export function startClientProbe(options: {
  plan: ClusterPlan;
  vip: string;
  port?: number;
  intervalMs?: number;
  timeoutMs?: number;
}): ClientProbe {
  const script = fileURLToPath(new URL("./tcp-probe.mjs", import.meta.url));
  const child = spawn(
    "nsenter",
    [
      `--net=/run/netns/${options.plan.client.netns}`,
      "--",
      process.execPath,
      script,
      options.vip,
      String(options.port ?? defaultPort),
      String(options.intervalMs ?? 50),
      String(options.timeoutMs ?? 250),
    ],
    { stdio: ["pipe", "pipe", "pipe"] },
  );
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-2000);
  });
  child.on("error", () => undefined);
  child.stdin.on("error", () => undefined);
  const attempts: ProbeAttempt[] = [];
  createInterface({ input: child.stdout }).on("line", (line) => {
    const parsed = attemptSchema.safeParse(JSON.parse(line));
    if (parsed.success) attempts.push(parsed.data);
  });
  return {
    attempts: () => attempts,
    firstReplyAfter: (since) => attempts.find((a) => a.t >= since && a.reply),
    lostBetween: (from, to) => attempts.filter((a) => a.t >= from && a.t < to && !a.reply).length,
    stop() {
      child.stdin.end();
      child.kill("SIGKILL");
      return attempts;
    },
    describe() {
      const state =
        child.exitCode === null && child.signalCode === null
          ? "running"
          : `exited (${child.exitCode ?? child.signalCode})`;
      const last = attempts
        .slice(-3)
        .map((a) => a.how)
        .join(", ");
      return `client probe ${state}, ${attempts.length} attempts, last: ${last || "none"}${stderr ? `, stderr: ${stderr.trim()}` : ""}`;
    },
    pid: child.pid,
  };
}

/** How the client resolves the VIP at layer 2: its neighbour entry and who answers ARP. */
export interface ClientArpView {
  /** MAC in the client's neighbour table for the VIP (undefined when there is no entry). */
  readonly neighborMac: string | undefined;
  readonly neighborState: readonly string[];
  /** MACs that answered an ARP request for the VIP (more than one means a duplicate). */
  readonly arpingMacs: readonly string[];
}

const neighSchema = z.array(
  z
    .object({
      dst: z.string(),
      lladdr: z.string().optional(),
      state: z.array(z.string()).optional(),
    })
    .loose(),
);

/** Reads the client's neighbour entry for `vip` and asks who has it with `arping`. */
export async function readClientArp(plan: ClusterPlan, vip: string): Promise<ClientArpView> {
  const { netns, ifname } = plan.client;
  const arping = await runCommand(
    "ip",
    ["netns", "exec", netns, "arping", "-c", "2", "-w", "2", "-I", ifname, vip],
    { allowFailure: true, timeoutMs: 5000 },
  );
  const arpingMacs = [
    ...new Set(
      [...arping.stdout.matchAll(/reply from \S+ \[([0-9A-Fa-f:]{17})\]/g)].map((m) =>
        (m[1] ?? "").toLowerCase(),
      ),
    ),
  ];
  const neigh = await runCommand("ip", ["-json", "-n", netns, "neigh", "show", vip]);
  const entry = neighSchema.parse(JSON.parse(neigh.stdout || "[]")).find((n) => n.dst === vip);
  return {
    neighborMac: entry?.lladdr?.toLowerCase(),
    neighborState: entry?.state ?? [],
    arpingMacs,
  };
}
