import type { OcfEnv } from "@ocfkit/ocf";

// The monitor's rules, once: the quick path (launcher) and the full agent both import this
// module. No dependency but types: the quick path must stay fast.

/** `OCF_CHECK_LEVEL` from which every monitor checks the cloud. */
export const DEEP_CHECK_LEVEL = 10;
/** Seconds between cloud checks of depth-0 monitors when `cloud_check_interval` is unset. */
export const DEFAULT_CLOUD_CHECK_INTERVAL = 60;
const META_PREFIX = "OCF_RESKEY_CRM_meta_";

/** What the agent remembers about a started resource (the state file, also the quick path's ticket). */
export interface ResourceState {
  /** The floating IP, canonical (as `ip -json` prints it). */
  readonly ip: string;
  /** Device the address was added to. */
  readonly dev: string;
  readonly prefixLength: number;
  /** Our VNIC's OCID at start. */
  readonly vnicId: string;
  /** `starting` while a start is in progress (a killed start leaves it so); then `started`. */
  readonly phase: "starting" | "started";
  /** Epoch ms of the last cloud check that found the IP on our VNIC. */
  readonly lastCloudCheck?: number;
  /** Epoch ms from which a cloud check is due: `lastCloudCheck + cloud_check_interval s`. */
  readonly nextCloudCheck?: number;
}

/** The state file's document: the state and the parameters' key of the action that wrote it. */
export interface StoredState extends ResourceState {
  readonly version: 1;
  /** {@link paramsKey} of the writer's environment. */
  readonly params: string;
}

/** The action's parameters as one key: sorted `name=value` lines, `CRM_meta_*` left out. */
export function paramsKey(env: Readonly<Record<string, string | undefined>>): string {
  return Object.keys(env)
    .filter((k) => k.startsWith("OCF_RESKEY_") && !k.startsWith(META_PREFIX))
    .filter((k) => env[k] !== undefined)
    .sort()
    .map((k) => `${k}=${env[k]}`)
    .join("\n");
}

/** When the cloud check after one made at `lastCloudCheck` is due. */
export function nextCloudCheckAt(lastCloudCheck: number, intervalSeconds: number): number {
  return lastCloudCheck + intervalSeconds * 1000;
}

const isTime = (v: unknown): v is number =>
  typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
const isText = (v: unknown): v is string => typeof v === "string" && v !== "";

/** Parses the state file's text; undefined when it is not a state document (then it is rebuilt). */
export function parseState(text: string | undefined): StoredState | undefined {
  if (text === undefined) return undefined;
  let s: Partial<Record<keyof StoredState, unknown>>;
  try {
    s = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof s !== "object" || s === null || s.version !== 1) return undefined;
  const ok =
    isText(s.ip) &&
    isText(s.dev) &&
    Number.isInteger(s.prefixLength) &&
    (s.prefixLength as number) >= 0 &&
    (s.prefixLength as number) <= 128 &&
    isText(s.vnicId) &&
    (s.phase === "starting" || s.phase === "started") &&
    (s.lastCloudCheck === undefined || isTime(s.lastCloudCheck)) &&
    (s.nextCloudCheck === undefined || isTime(s.nextCloudCheck)) &&
    typeof s.params === "string";
  return ok ? (s as StoredState) : undefined;
}

/**
 * Whether this monitor must ask the API: depth 10, no record of a cloud check, a record not bound
 * to the interval (`nextCloudCheck − lastCloudCheck` above it), or the interval has passed.
 */
export function cloudCheckDue(
  state: ResourceState | undefined,
  now: number,
  depth: number,
  intervalSeconds: number,
): boolean {
  if (depth >= DEEP_CHECK_LEVEL) return true;
  if (state?.phase !== "started") return true;
  const { lastCloudCheck: last, nextCloudCheck: next } = state;
  if (last === undefined || next === undefined) return true;
  if (next - last > intervalSeconds * 1000) return true;
  return now < last || now >= next;
}

/** `cloud_check_interval` as the quick path reads it; undefined when only the full agent can tell. */
function intervalOf(env: Readonly<Record<string, string | undefined>>): number | undefined {
  const raw = env.OCF_RESKEY_cloud_check_interval?.trim();
  if (raw === undefined || raw === "") return DEFAULT_CLOUD_CHECK_INTERVAL;
  return /^\d{1,9}$/.test(raw) ? Number(raw) : undefined;
}

/**
 * Why the quick path must not answer this depth-0 monitor from `state` (then the full agent
 * runs), or undefined when only the `ip` listing is left to check: `state.ip` on `state.dev`.
 */
export function quickPathProblem(
  ocfEnv: OcfEnv,
  env: Readonly<Record<string, string | undefined>>,
  state: StoredState | undefined,
  now: number,
): string | undefined {
  if (ocfEnv.checkLevel >= DEEP_CHECK_LEVEL) return `OCF_CHECK_LEVEL=${ocfEnv.checkLevel}`;
  if (ocfEnv.traceRa || env.OCF_TRACE_FILE) return "tracing is on";
  if (ocfEnv.debug) return "HA_debug is on";
  if (state === undefined) return "no state";
  if (state.params !== paramsKey(env)) return "parameters differ from the state's";
  const interval = intervalOf(env);
  if (interval === undefined) return "cloud_check_interval needs the full agent";
  if (cloudCheckDue(state, now, ocfEnv.checkLevel, interval)) return "cloud check due";
  return undefined;
}
