import { spawn } from "node:child_process";
import {
  closeSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { defineAgent } from "@ocfkit/ocf";
import { ocivipAgent, toVipContext } from "./agent.js";
import { callOptions } from "./context.js";
import { toOcfError } from "./error-map.js";

/**
 * A warm standby. A node where the VIP is not running keeps ready what taking it over needs: the
 * metadata snapshot, the subnet facts and an instance-principal session (all cached per boot in
 * HA_RSCTMP by @ocfkit/oci-vnic), so a failover start makes only the requests that move the IP.
 * When a monitor answers "not running" (the probe every node runs, or an optional
 * `op monitor role=Stopped`), and the standby is cold or its session is due for renewal, the
 * agent starts `ocivip warm` in the background (as IPaddr2 backgrounds its ARP announcements):
 * read-only calls, bounded by the monitor's timeout, one at a time per resource.
 */

/** Renew the standby's session when less than this is left (sessions live 20 minutes on OCI). */
export const STANDBY_RENEW_BEFORE_MS = 5 * 60_000;
/** A warm-up lock older than this belongs to a process that died: take it over. */
const STALE_LOCK_MS = 120_000;

interface StandbyTicket {
  readonly version: 1;
  /** Epoch ms until which the credentials need no renewal; null when they never expire. */
  readonly validUntil: number | null;
  /** Epoch ms of the warm-up. */
  readonly warmedAt: number;
}

function dirOf(env: NodeJS.ProcessEnv): string {
  return join(env.HA_RSCTMP || "/run/resource-agents", "ocfkit-ocivip");
}

function nameOf(env: NodeJS.ProcessEnv): string {
  return (env.OCF_RESOURCE_INSTANCE || "default").replace(/[^\w.-]/g, "_");
}

/** The standby ticket of this resource instance (what the last warm-up achieved). */
export function standbyTicketPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(dirOf(env), `standby-${nameOf(env)}.json`);
}

function readTicket(path: string): StandbyTicket | undefined {
  try {
    const value = JSON.parse(readFileSync(path, "utf8")) as Partial<StandbyTicket> | null;
    if (value?.version !== 1 || typeof value.warmedAt !== "number") return undefined;
    if (value.validUntil !== null && typeof value.validUntil !== "number") return undefined;
    return value as StandbyTicket;
  } catch {
    return undefined;
  }
}

/** Whether a warm-up would help: no ticket yet, or the session is due for renewal. */
export function standbyWarmUpDue(env: NodeJS.ProcessEnv = process.env, now = Date.now()): boolean {
  const ticket = readTicket(standbyTicketPath(env));
  if (ticket === undefined || ticket.warmedAt > now) return true;
  return ticket.validUntil !== null && ticket.validUntil - now < STANDBY_RENEW_BEFORE_MS;
}

/**
 * Starts `<this launcher> warm` detached, with this action's environment; returns its PID (or
 * undefined when it could not start: a warm standby is an optimisation, never a failure).
 */
export function spawnStandbyWarmUp(
  launcher = process.argv[1],
  env: NodeJS.ProcessEnv = process.env,
): number | undefined {
  if (launcher === undefined) return undefined;
  try {
    const child = spawn(process.execPath, [launcher, "warm"], {
      detached: true,
      stdio: "ignore",
      env,
    });
    child.on("error", () => undefined);
    child.unref();
    return child.pid;
  } catch {
    return undefined;
  }
}

/** Takes the per-resource warm-up lock; returns its release, or undefined when another holds it. */
function lock(path: string, now: number): (() => void) | undefined {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      closeSync(openSync(path, "wx", 0o600));
      return () => rmSync(path, { force: true });
    } catch {
      try {
        if (now - statSync(path).mtimeMs < STALE_LOCK_MS) return undefined;
        rmSync(path, { force: true });
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * `ocivip warm`: not an OCF action (never advertised, never run by Pacemaker): the background
 * warm-up a "not running" monitor starts. Same parameters and deadline as that monitor.
 */
export const standbyAgent = defineAgent({
  ...ocivipAgent.definition,
  actions: {
    warm: {
      timeout: "30s",
      run: async (c) => {
        const path = standbyTicketPath({
          HA_RSCTMP: c.env.rscTmp,
          OCF_RESOURCE_INSTANCE: c.env.resourceInstance,
        });
        const release = lock(`${path}.lock`, Date.now());
        if (release === undefined) return;
        try {
          const ctx = toVipContext(c);
          const cloud = await ctx.cloud();
          const { validUntil } = await cloud.prepare(
            ctx.settings.ip,
            ctx.settings.vnic,
            callOptions(ctx),
          );
          const ticket: StandbyTicket = {
            version: 1,
            validUntil: validUntil ?? null,
            warmedAt: Date.now(),
          };
          const temporary = `${path}.${process.pid}.tmp`;
          writeFileSync(temporary, JSON.stringify(ticket), { mode: 0o600 });
          renameSync(temporary, path);
          c.log.debug(
            `standby warm: ready for ${ctx.settings.ip}, ${JSON.stringify(cloud.requestCounts())}`,
          );
        } catch (error) {
          throw toOcfError(error);
        } finally {
          release();
        }
      },
    },
  },
});
