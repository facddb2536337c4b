import { spawnSync } from "node:child_process";
import { locateIp, parseAddressList } from "@ocfkit/iproute2";
import { type PrivateDir, readOcfEnv } from "@ocfkit/ocf";
import { FILES } from "./files.js";
import { parseState, quickPathProblem } from "./rules.js";

/** The quick path's answer: healthy (exit 0 without the agent), or why the full agent must run. */
export type QuickVerdict =
  | { readonly healthy: true }
  | { readonly healthy: false; readonly reason: string };

/** Options of {@link quickMonitor}. */
export interface QuickMonitorOptions {
  /** The resource's private directory; undefined (refused) always declines. */
  readonly dir: PrivateDir | undefined;
  /** Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Epoch ms now; default `Date.now()`. */
  readonly now?: number;
  /** The `ip` command and leading options, e.g. `["ip", "-n", "ns1"]`; default the binary. */
  readonly ipCommand?: readonly string[];
  /** Limit for the `ip` listing, default 1000 ms. */
  readonly timeoutMs?: number;
}

const decline = (reason: string): QuickVerdict => ({ healthy: false, reason });

/**
 * The routine depth-0 monitor without the agent: healthy only when the state file (the ticket,
 * written by start and monitor after a cloud check found the IP on our VNIC) was written for
 * these very parameters, no cloud check is due by the monitor's rules (src/runtime/rules.ts),
 * and `ip -json addr` shows the state's IP on its device. Every other case, every failure
 * included, declines, and the full agent decides.
 */
export function quickMonitor(options: QuickMonitorOptions): QuickVerdict {
  const env = options.env ?? process.env;
  if (options.dir === undefined) return decline("no private directory");
  const state = parseState(options.dir.read(FILES.state));
  const problem = quickPathProblem(readOcfEnv(env), env, state, options.now ?? Date.now());
  if (problem !== undefined || state === undefined) return decline(problem ?? "no state");
  const [ip, ...leading] = options.ipCommand ?? [locateIp()];
  const family = state.ip.includes(":") ? "-6" : "-4";
  const listing = spawnSync(ip!, [...leading, "-json", family, "addr", "show", "dev", state.dev], {
    encoding: "utf8",
    timeout: options.timeoutMs ?? 1000,
    killSignal: "SIGKILL",
    stdio: ["ignore", "pipe", "ignore"],
  });
  if (listing.error !== undefined || listing.status !== 0) return decline("ip failed");
  try {
    const held = parseAddressList(listing.stdout).some(
      (a) => a.dev === state.dev && a.address === state.ip,
    );
    return held ? { healthy: true } : decline(`${state.ip} is not on ${state.dev}`);
  } catch {
    return decline("unexpected ip -json output");
  }
}
