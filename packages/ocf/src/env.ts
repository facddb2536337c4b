import type { EnvRecord } from "./parse-params.js";
import { isOcfTrue } from "./values.js";

/** Notification details Pacemaker passes to the `notify` action (`OCF_RESKEY_CRM_meta_notify_*`). */
export interface OcfNotifyEnv {
  /** `pre` or `post`. */
  readonly type: string | undefined;
  /** The operation being notified about: start, stop, promote, demote. */
  readonly operation: string | undefined;
  /** The space-separated lists, by name: e.g. `start_uname`, `active_resource`. */
  readonly lists: Readonly<Record<string, readonly string[]>>;
}

/** Pacemaker's `OCF_RESKEY_CRM_meta_*` variables, typed. Times are milliseconds. */
export interface CrmMeta {
  /** Recurring interval of this operation (0 for a one-off action or a probe). */
  readonly intervalMs: number | undefined;
  /** Timeout Pacemaker enforces on this operation. */
  readonly timeoutMs: number | undefined;
  /** Clone instance number, for clones. */
  readonly clone: number | undefined;
  /** clone-max meta-attribute (present only for clones). */
  readonly cloneMax: number | undefined;
  /** clone-node-max meta-attribute. */
  readonly cloneNodeMax: number | undefined;
  /** promoted-max (or legacy master-max) meta-attribute. */
  readonly promotedMax: number | undefined;
  /** promoted-node-max (or legacy master-node-max) meta-attribute. */
  readonly promotedNodeMax: number | undefined;
  /** Whether the resource is promotable. */
  readonly promotable: boolean;
  /** Whether clone instances are globally unique. */
  readonly globallyUnique: boolean;
  /** Whether notifications are enabled for this clone. */
  readonly notify: boolean;
  /** The node this operation runs on, if Pacemaker passed it. */
  readonly onNode: string | undefined;
  /** Node a live migration comes from (`migrate_source`, in migrate_to/migrate_from). */
  readonly migrateSource: string | undefined;
  /** Node a live migration goes to (`migrate_target`). */
  readonly migrateTarget: string | undefined;
  /** Notification variables (only meaningful in the `notify` action). */
  readonly notification: OcfNotifyEnv;
  /** Every `OCF_RESKEY_CRM_meta_*` variable, by the part after the prefix. */
  readonly all: Readonly<Record<string, string>>;
}

/** Where `ha_log`-style logging goes, from `HA_LOGFACILITY`, `HA_LOGTAG`, `HA_LOGFILE`, `HA_DEBUGLOG`. */
export interface OcfLogEnv {
  /** syslog facility, or undefined when unset or `none`. */
  readonly facility: string | undefined;
  /** syslog tag override. */
  readonly tag: string | undefined;
  /** File every log line is appended to. */
  readonly file: string | undefined;
  /** File debug lines (and all others) are appended to. */
  readonly debugFile: string | undefined;
  /** `HA_DATEFMT`: the `date` format of timestamps in log files and on stderr (unset: the default). */
  readonly dateFormat?: string | undefined;
}

/** The Pacemaker/OCF environment an agent runs in, typed. */
export interface OcfEnv {
  /** `OCF_ROOT`, default `/usr/lib/ocf`. */
  readonly root: string;
  /** `OCF_RESOURCE_INSTANCE`: the resource id (e.g. `vip` or `vip:0`). */
  readonly resourceInstance: string | undefined;
  /** `OCF_RESOURCE_TYPE`: the agent name as configured. */
  readonly resourceType: string | undefined;
  /** `OCF_RESOURCE_PROVIDER`. */
  readonly resourceProvider: string | undefined;
  /** `OCF_CHECK_LEVEL`: monitor depth, 0 when unset. */
  readonly checkLevel: number;
  /** `HA_RSCTMP`: directory for state that must not survive a reboot, default `/run/resource-agents`. */
  readonly rscTmp: string;
  /** The `OCF_RESKEY_CRM_meta_*` variables. */
  readonly meta: CrmMeta;
  /** `OCF_TRACE_RA` is true: trace the agent's work. */
  readonly traceRa: boolean;
  /** `HA_debug` is set and not 0: debug lines are logged. */
  readonly debug: boolean;
  /** Logging destinations. */
  readonly log: OcfLogEnv;
}

const META_PREFIX = "OCF_RESKEY_CRM_meta_";

function int(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*-?\d+\s*$/.test(value)) return undefined;
  return Number(value);
}

function positive(value: number | undefined): number | undefined {
  return value !== undefined && value > 0 ? value : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

/**
 * Reads the OCF environment. Pacemaker's own variables are parsed leniently: a malformed number
 * reads as unset rather than failing the action.
 */
export function readOcfEnv(env: EnvRecord): OcfEnv {
  const all: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith(META_PREFIX) && value !== undefined)
      all[key.slice(META_PREFIX.length)] = value;
  }
  const lists: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(all)) {
    const match = /^notify_(.+_(?:resource|uname))$/.exec(key);
    if (match?.[1]) lists[match[1]] = value.split(/\s+/).filter((word) => word !== "");
  }
  const facility = nonEmpty(env.HA_LOGFACILITY);
  const debug = nonEmpty(env.HA_debug);
  return {
    root: nonEmpty(env.OCF_ROOT) ?? "/usr/lib/ocf",
    resourceInstance: nonEmpty(env.OCF_RESOURCE_INSTANCE),
    resourceType: nonEmpty(env.OCF_RESOURCE_TYPE),
    resourceProvider: nonEmpty(env.OCF_RESOURCE_PROVIDER),
    checkLevel: int(env.OCF_CHECK_LEVEL) ?? 0,
    rscTmp: nonEmpty(env.HA_RSCTMP) ?? "/run/resource-agents",
    meta: {
      intervalMs: int(all.interval),
      // A zero or negative timeout would leave no time at all: treat it as not given.
      timeoutMs: positive(int(all.timeout)),
      clone: int(all.clone),
      cloneMax: int(all.clone_max),
      cloneNodeMax: int(all.clone_node_max),
      promotedMax: int(all.promoted_max ?? all.master_max),
      promotedNodeMax: int(all.promoted_node_max ?? all.master_node_max),
      promotable: isOcfTrue(all.promotable),
      globallyUnique: isOcfTrue(all.globally_unique),
      notify: isOcfTrue(all.notify),
      onNode: nonEmpty(all.on_node),
      migrateSource: nonEmpty(all.migrate_source),
      migrateTarget: nonEmpty(all.migrate_target),
      notification: { type: all.notify_type, operation: all.notify_operation, lists },
      all,
    },
    traceRa: isOcfTrue(env.OCF_TRACE_RA),
    debug: debug !== undefined && debug !== "0",
    log: {
      facility: facility === "none" ? undefined : facility,
      tag: nonEmpty(env.HA_LOGTAG),
      file: nonEmpty(env.HA_LOGFILE),
      debugFile: nonEmpty(env.HA_DEBUGLOG),
      dateFormat: nonEmpty(env.HA_DATEFMT),
    },
  };
}

/** Whether this is a probe: a `monitor` with interval 0 (as `ocf_is_probe` defines it). */
export function isProbe(action: string, env: OcfEnv): boolean {
  return action === "monitor" && env.meta.intervalMs === 0;
}
