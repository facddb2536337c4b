// The quick path of the routine depth-0 monitor, bundled into dist/launch.cjs: Node built-ins
// only (no zod, no @ocfkit package), so answering it never loads dist/agent.cjs.
import { spawnSync } from "node:child_process";
import {
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";

/** Environment variables as the process has them. */
export type QuickEnv = Readonly<Record<string, string | undefined>>;

/**
 * What the full agent writes when it knows the resource is healthy with a cloud check done: the
 * quick path trusts it until `nextCloudCheck`, for the same parameters only.
 */
export interface QuickTicket {
  readonly version: 1;
  /** The floating IP, canonical (as `ip -json` prints it). */
  readonly ip: string;
  /** The device it is on. */
  readonly dev: string;
  /** Epoch ms of the cloud check that found the IP on our VNIC. */
  readonly lastCloudCheck: number;
  /** Epoch ms from which a cloud check is due: `lastCloudCheck + cloud_check_interval s`. */
  readonly nextCloudCheck: number;
  /** The writer's `OCF_RESKEY_*` variables but `CRM_meta_*`, as sorted `name=value` strings. */
  readonly params: readonly string[];
  /** The agent's state file, which must still record this very check. */
  readonly stateFile: string;
}

/** What the full agent knows when it writes a ticket. */
export interface TicketFacts {
  readonly ip: string;
  readonly dev: string;
  readonly lastCloudCheck: number;
  readonly cloudCheckIntervalSeconds: number;
  /** Path of the state file recording `lastCloudCheck` and `dev`. */
  readonly stateFile: string;
}

/** The quick path's answer: healthy (exit 0 without the agent), or why the full agent must run. */
export type QuickVerdict =
  | { readonly healthy: true }
  | { readonly healthy: false; readonly reason: string };

/** Options of {@link quickMonitor}. */
export interface QuickMonitorOptions {
  /** Default `process.env`. */
  readonly env?: QuickEnv;
  /** Epoch ms now; default `Date.now()`. */
  readonly now?: number;
  /** The `ip` command and leading options, e.g. `["/usr/sbin/ip", "-n", "ns1"]`; default the binary. */
  readonly ipCommand?: readonly string[];
  /** Limit for the `ip` listing, default 1000 ms. */
  readonly timeoutMs?: number;
}

/** `OCF_CHECK_LEVEL` from which the full agent checks the cloud on every monitor. */
const DEEP_CHECK_LEVEL = 10;
const TRUE_WORDS = new Set(["yes", "true", "on", "1"]);
// Pacemaker runs agents with a minimal PATH: the same lookup as @ocfkit/iproute2.
const IP_CANDIDATES = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"];
const META_PREFIX = "OCF_RESKEY_CRM_meta_";

/** The agent's root-only directory in `HA_RSCTMP` (V8 code cache, tickets): cleared at boot. */
export function agentDir(env: QuickEnv = process.env): string {
  return join(env.HA_RSCTMP || "/run/resource-agents", "ocfkit-ocivip");
}

/** The ticket file of `OCF_RESOURCE_INSTANCE` (`ocivip` when unset), its name encoded one to one. */
export function ticketPath(env: QuickEnv = process.env): string {
  const instance = env.OCF_RESOURCE_INSTANCE || "ocivip";
  const name = instance.replace(
    /[^A-Za-z0-9.-]/g,
    (c) => `_${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return join(agentDir(env), `ticket-${name}.json`);
}

/** The action's parameters as a ticket records them: sorted `name=value`, `CRM_meta_*` left out. */
export function paramsKey(env: QuickEnv): string[] {
  return Object.keys(env)
    .filter((k) => k.startsWith("OCF_RESKEY_") && !k.startsWith(META_PREFIX))
    .filter((k) => env[k] !== undefined)
    .sort()
    .map((k) => `${k}=${env[k]}`);
}

/** Writes the ticket atomically (temporary file, mode 0600, rename) in the root-only directory. */
export function writeTicket(env: QuickEnv, facts: TicketFacts): void {
  const path = ticketPath(env);
  const ticket: QuickTicket = {
    version: 1,
    ip: facts.ip,
    dev: facts.dev,
    lastCloudCheck: facts.lastCloudCheck,
    nextCloudCheck: facts.lastCloudCheck + facts.cloudCheckIntervalSeconds * 1000,
    params: paramsKey(env),
    stateFile: facts.stateFile,
  };
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}-${Date.now().toString(36)}.tmp`;
  try {
    writeFileSync(temporary, JSON.stringify(ticket), { mode: 0o600, flag: "wx" });
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** Removes the ticket (so the next monitor runs the full agent); succeeds when there is none. */
export function removeTicket(env: QuickEnv): void {
  rmSync(ticketPath(env), { force: true });
}

const decline = (reason: string): QuickVerdict => ({ healthy: false, reason });

function privateTo(stats: Stats, uid: number | undefined): boolean {
  return (uid === undefined || stats.uid === uid) && (stats.mode & 0o022) === 0;
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
}

function isTicket(value: unknown): value is QuickTicket {
  const t = value as Partial<QuickTicket> | null;
  return (
    typeof t === "object" &&
    t !== null &&
    t.version === 1 &&
    typeof t.ip === "string" &&
    t.ip !== "" &&
    typeof t.dev === "string" &&
    t.dev !== "" &&
    Number.isFinite(t.lastCloudCheck) &&
    Number.isFinite(t.nextCloudCheck) &&
    Array.isArray(t.params) &&
    t.params.every((p) => typeof p === "string") &&
    typeof t.stateFile === "string"
  );
}

/** Why the environment asks for the full agent (depth, tracing), or undefined. */
function envDecline(env: QuickEnv): string | undefined {
  const level = env.OCF_CHECK_LEVEL?.trim();
  if (level && !(/^-?\d+$/.test(level) && Number(level) < DEEP_CHECK_LEVEL)) {
    return `OCF_CHECK_LEVEL=${level}`;
  }
  if (TRUE_WORDS.has(env.OCF_TRACE_RA?.trim().toLowerCase() ?? "")) return "OCF_TRACE_RA";
  if (env.OCF_TRACE_FILE) return "OCF_TRACE_FILE";
  if (env.HA_debug && env.HA_debug !== "0") return "HA_debug";
  return undefined;
}

/** Whether `ip -json addr` output shows exactly `ip` on `dev`; undefined for odd output. */
function listedOn(stdout: string, ip: string, dev: string): boolean | undefined {
  let links: unknown;
  try {
    links = JSON.parse(stdout);
  } catch {
    return undefined;
  }
  if (!Array.isArray(links)) return undefined;
  const family = ip.includes(":") ? "inet6" : "inet";
  for (const link of links as { ifname?: unknown; addr_info?: unknown }[]) {
    if (typeof link !== "object" || link === null || typeof link.ifname !== "string") {
      return undefined;
    }
    if (link.ifname !== dev || !Array.isArray(link.addr_info)) continue;
    for (const a of link.addr_info as { family?: unknown; local?: unknown }[]) {
      if (a?.family === family && a.local === ip) return true;
    }
  }
  return false;
}

function ipBinary(): string | undefined {
  for (const path of IP_CANDIDATES) {
    try {
      if (statSync(path).isFile()) return path;
    } catch {
      // not there
    }
  }
  return undefined;
}

/**
 * The routine depth-0 monitor without the agent: healthy only when the environment asks for no
 * depth or tracing, a ticket for these very parameters says no cloud check is due, the state file
 * still records that check, and `ip -json addr` shows the IP on the ticket's device. Every other
 * case (including every failure) declines, and the full agent decides.
 */
export function quickMonitor(options: QuickMonitorOptions = {}): QuickVerdict {
  const env = options.env ?? process.env;
  const fromEnv = envDecline(env);
  if (fromEnv !== undefined) return decline(`${fromEnv} asks for the full agent`);
  const path = ticketPath(env);
  const uid = process.getuid?.();
  try {
    if (!privateTo(statSync(dirname(path)), uid) || !privateTo(statSync(path), uid)) {
      return decline("ticket directory or file is not private to this user");
    }
  } catch {
    return decline("no ticket");
  }
  const ticket = readJson(path);
  if (!isTicket(ticket)) return decline("unreadable ticket");
  if (JSON.stringify(ticket.params) !== JSON.stringify(paramsKey(env))) {
    return decline("parameters differ from the ticket's");
  }
  const now = options.now ?? Date.now();
  if (now < ticket.lastCloudCheck || now >= ticket.nextCloudCheck) {
    return decline("cloud check due");
  }
  const state = readJson(ticket.stateFile) as {
    phase?: unknown;
    lastCloudCheck?: unknown;
    dev?: unknown;
  } | null;
  if (
    state?.phase !== "started" ||
    state.lastCloudCheck !== ticket.lastCloudCheck ||
    state.dev !== ticket.dev
  ) {
    return decline("state file does not record the ticket's check");
  }
  const command = options.ipCommand ?? [ipBinary() ?? "ip"];
  const listing = spawnSync(
    command[0]!,
    [...command.slice(1), "-json", ticket.ip.includes(":") ? "-6" : "-4", "addr", "show"],
    {
      encoding: "utf8",
      timeout: options.timeoutMs ?? 1000,
      killSignal: "SIGKILL",
      stdio: ["ignore", "pipe", "ignore"],
    },
  );
  if (listing.error !== undefined || listing.status !== 0) return decline("ip failed");
  const found = listedOn(listing.stdout, ticket.ip, ticket.dev);
  if (found === undefined) return decline("unexpected ip -json output");
  return found ? { healthy: true } : decline(`${ticket.ip} is not on ${ticket.dev}`);
}
