import { spawn } from "node:child_process";
import { closeSync, lstatSync, openSync } from "node:fs";
import { defineAgent, type PrivateDir } from "@ocfkit/ocf";
import { ocivipAgent, resourceDir, toVipContext } from "./agent.js";
import { callOptions } from "./context.js";
import { toOcfError } from "./error-map.js";
import { FILES, openResourceDir } from "./runtime/files.js";

/**
 * A warm standby. A node where the VIP is not running keeps ready what taking it over needs: the
 * metadata snapshot, the subnet facts and an instance-principal session (all cached per boot in
 * the resource's private directory by @ocfkit/oci-vnic), so a failover start makes only the requests that move the IP.
 * When a monitor answers "not running" (the probe every node runs, or an optional
 * `op monitor role=Stopped`), and the standby is cold or its session is due for renewal, the
 * agent starts `ocivip warm` in the background (as IPaddr2 backgrounds its ARP announcements):
 * read-only calls, bounded by the monitor's timeout, one at a time per resource.
 */

/** Renew the standby's session when less than this is left (sessions live 20 minutes on OCI). */
export const STANDBY_RENEW_BEFORE_MS = 5 * 60_000;
/** A warm-up lock older than this belongs to a process that died: take it over. */
const STALE_LOCK_MS = 120_000;

/** What the last warm-up achieved (runtime/files.ts: FILES.standby). */
interface StandbyTicket {
  readonly version: 1;
  /** Epoch ms until which the credentials need no renewal; null when they never expire. */
  readonly validUntil: number | null;
  /** Epoch ms of the warm-up. */
  readonly warmedAt: number;
}

function readTicket(dir: PrivateDir): StandbyTicket | undefined {
  const text = dir.read(FILES.standby);
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as Partial<StandbyTicket> | null;
    if (
      value?.version === 1 &&
      Number.isSafeInteger(value.warmedAt) &&
      (value.validUntil === null || Number.isSafeInteger(value.validUntil))
    ) {
      return value as StandbyTicket;
    }
  } catch {
    // malformed: removed below and rebuilt by the next warm-up
  }
  dir.remove(FILES.standby);
  return undefined;
}

/** Whether a warm-up would help: no ticket yet, or the session is due for renewal. */
export function standbyWarmUpDue(env: NodeJS.ProcessEnv = process.env, now = Date.now()): boolean {
  const opened = openResourceDir(env);
  // No private directory: nothing would be kept, so a warm-up cannot help.
  if (!opened.ok) return false;
  const ticket = readTicket(opened.dir);
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

/**
 * Takes the resource's warm-up lock (a file created with O_EXCL in its private directory);
 * returns its release, or undefined when another warm-up holds it. The release also runs when the
 * process exits, so a warm-up its deadline ends leaves no lock behind.
 */
function lock(dir: PrivateDir, now: number): (() => void) | undefined {
  const path = dir.file(FILES.warmLock);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      closeSync(openSync(path, "wx", 0o600));
      let held = true;
      const release = (): void => {
        if (!held) return;
        held = false;
        process.removeListener("exit", release);
        dir.remove(FILES.warmLock);
      };
      process.once("exit", release);
      return release;
    } catch {
      try {
        const st = lstatSync(path);
        if (st.isFile() && now - st.mtimeMs < STALE_LOCK_MS) return undefined;
        dir.remove(FILES.warmLock);
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
        const dir = resourceDir(c);
        if (dir === undefined) return;
        const release = lock(dir, Date.now());
        if (release === undefined) return;
        // The deadline ends a warm-up by exiting: release the lock as soon as it fires.
        c.signal.addEventListener("abort", release, { once: true });
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
          dir.write(FILES.standby, JSON.stringify(ticket));
          c.log.debug(
            `standby warm: ready for ${ctx.settings.ip}, ${JSON.stringify(cloud.requestCounts())}`,
          );
        } catch (error) {
          throw toOcfError(error);
        } finally {
          c.signal.removeEventListener("abort", release);
          release();
        }
      },
    },
  },
});
