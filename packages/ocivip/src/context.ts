import type { CallOptions, CloudNet, LocalNet } from "./ports.js";
import type { ResourceState } from "./runtime/rules.js";
import type { Settings } from "./settings.js";

export type { ResourceState };

/** Reads and writes the resource's state file. */
export interface VipStateStore {
  read(): Promise<ResourceState | undefined>;
  write(state: ResourceState): Promise<void>;
  remove(): Promise<void>;
  /** Drops the quick path's ticket (`nextCloudCheck`) at once: the next monitor runs the full agent. */
  revoke(): void;
}

/** Log lines go to Pacemaker's log with the resource instance. */
export interface VipLog {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

/** Everything an action needs, passed in (tests give real parts, nothing global). */
export interface VipContext {
  readonly settings: Settings;
  readonly local: LocalNet;
  /** Loads the cloud side on first use: monitors that need no cloud check never load the SDK. */
  readonly cloud: () => Promise<CloudNet>;
  readonly state: VipStateStore;
  readonly log: VipLog;
  readonly signal: AbortSignal;
  /** Epoch ms by which the action must answer. */
  readonly deadline: number;
  /** `OCF_CHECK_LEVEL` (monitor depth). */
  readonly depth: number;
  readonly now: () => number;
}

/** The per-call limits of an action's context. */
export function callOptions(ctx: VipContext): CallOptions {
  return { signal: ctx.signal, deadline: ctx.deadline };
}
