import type { CallOptions, CloudNet, LocalNet } from "./ports.js";
import type { Settings } from "./settings.js";

/** What the agent remembers about a started resource, in HA_RSCTMP (cleared at boot). */
export interface ResourceState {
  /** Device the address was added to. */
  readonly dev: string;
  readonly prefixLength: number;
  /** Our VNIC's OCID at start. */
  readonly vnicId: string;
  /** `starting` while a start is in progress (a killed start leaves it so); then `started`. */
  readonly phase: "starting" | "started";
  /** Epoch ms of the last cloud check that found the IP on our VNIC. */
  readonly lastCloudCheck?: number;
}

/** Reads and writes the resource's state file. */
export interface VipStateStore {
  read(): Promise<ResourceState | undefined>;
  write(state: ResourceState): Promise<void>;
  remove(): Promise<void>;
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
