import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { encodeInstanceName, openPrivateDir, type PrivateDirResult } from "@ocfkit/ocf";

// Every path of a resource's files, in one place (see docs/ocivip-runtime.md). Each resource
// instance has one private directory under HA_RSCTMP, opened with @ocfkit/ocf's openPrivateDir
// (the trust rule: created 0700 by the agent's user, lstat-checked, no symlink, every file in it
// private); every file below is read and written only through it.

/** Environment variables that locate a resource's directory. */
export interface ResourceEnv {
  readonly HA_RSCTMP?: string | undefined;
  readonly OCF_RESOURCE_INSTANCE?: string | undefined;
}

/** The files the agent itself keeps in a resource's directory (oci-vnic adds its caches). */
export const FILES = {
  /** The resource's state: what start found, the last cloud check; the quick path's ticket. */
  state: "state.json",
  /** What the last warm-up of a standby achieved. */
  standby: "standby.json",
  /** Held (created with O_EXCL) while a warm-up runs. */
  warmLock: "warm.lock",
  /** The V8 code cache of the agent bundle (dist/agent.cjs). */
  agentCodeCache: "agent.v8cache",
} as const;

/** `HA_RSCTMP`: cleared at boot; `/run/resource-agents` when unset. */
export function rscTmpOf(env: ResourceEnv): string {
  return env.HA_RSCTMP || "/run/resource-agents";
}

/** `$HA_RSCTMP/ocfkit-ocivip/<encoded OCF_RESOURCE_INSTANCE>` (`ocivip` when unset). */
export function resourceDirPath(env: ResourceEnv): string {
  const instance = env.OCF_RESOURCE_INSTANCE || "ocivip";
  return join(rscTmpOf(env), "ocfkit-ocivip", encodeInstanceName(instance));
}

/** Opens (creating it if needed) the resource's private directory, or says why it must not be used. */
export function openResourceDir(env: ResourceEnv): PrivateDirResult {
  const base = rscTmpOf(env);
  try {
    // HA_RSCTMP itself is shared with other agents (mode 0755, as resource-agents makes it);
    // openPrivateDir then checks it and everything above it.
    mkdirSync(base, { mode: 0o755 });
  } catch {
    // it exists (the usual case), or cannot be made: openPrivateDir says why
  }
  return openPrivateDir(resourceDirPath(env), { base });
}
