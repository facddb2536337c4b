import { isIP } from "node:net";
import {
  type ActionContext,
  ConfigurationError,
  defineAgent,
  type ParamsOf,
  type UnparsedActionContext,
} from "@ocfkit/ocf";
import type { ResourceState, VipContext, VipStateStore } from "./context.js";
import { toOcfError } from "./error-map.js";
import { createLocalNet } from "./local-net.js";
import { monitor } from "./monitor.js";
import { ocivipParameters } from "./params.js";
import type { CloudNet } from "./ports.js";
import { removeTicket, writeTicket } from "./quick-monitor.js";
import type { Settings } from "./settings.js";
import { reload, start } from "./start.js";
import { removeLocalAddress, stop } from "./stop.js";
import { canonicalIp, toSettings } from "./to-settings.js";
import { validateAll } from "./validate.js";
import { VERSION } from "./version.js";

type Context = ActionContext<ParamsOf<typeof ocivipParameters>>;

const STATE_KEY = "state";

function stateStore(c: Pick<UnparsedActionContext, "state" | "log">): VipStateStore {
  return {
    async read() {
      const text = await c.state.read(STATE_KEY);
      if (text === undefined) return undefined;
      try {
        return JSON.parse(text) as ResourceState;
      } catch {
        c.log.warn(`ignoring unreadable state file ${c.state.path(STATE_KEY)}`);
        return undefined;
      }
    },
    write: (state) => c.state.write(STATE_KEY, JSON.stringify(state)),
    remove: () => c.state.remove(STATE_KEY),
  };
}

/** Removes the quick monitor's ticket; a failure is logged (the ticket's checks still hold). */
function revokeTicket(c: Pick<UnparsedActionContext, "rawEnv" | "log">): void {
  try {
    removeTicket(c.rawEnv);
  } catch (error) {
    c.log.warn(`cannot remove the quick monitor's ticket: ${(error as Error).message}`);
  }
}

/**
 * The state store, keeping the quick monitor's ticket (see quick-monitor.ts) in step with it: a
 * state recording a cloud check that found the IP on our VNIC issues a ticket, any other state
 * (a start in progress) or its removal revokes it.
 */
function ticketing(store: VipStateStore, c: Context, settings: Settings): VipStateStore {
  return {
    read: () => store.read(),
    async write(state) {
      await store.write(state);
      if (state.phase !== "started" || state.lastCloudCheck === undefined) {
        revokeTicket(c);
        return;
      }
      try {
        writeTicket(c.rawEnv, {
          ip: settings.ip,
          dev: state.dev,
          lastCloudCheck: state.lastCloudCheck,
          cloudCheckIntervalSeconds: settings.cloudCheckIntervalSeconds,
          stateFile: c.state.path(STATE_KEY),
        });
      } catch (error) {
        c.log.debug(`no quick monitor ticket: ${(error as Error).message}`);
        revokeTicket(c);
      }
    },
    async remove() {
      revokeTicket(c);
      await store.remove();
    },
  };
}

/** Directory for what never changes during a boot (metadata) and the API session: HA_RSCTMP. */
export function cacheDirFor(rscTmp: string): string {
  return `${rscTmp}/ocfkit-ocivip/vnic`;
}

/** Builds the action's context from the framework's: settings, real local and (lazy) cloud sides. */
export function toVipContext(c: Context): VipContext {
  const settings = toSettings(c.params);
  let cloud: Promise<CloudNet> | undefined;
  return {
    settings,
    local: createLocalNet(),
    cloud: () => {
      cloud ??= import("./cloud-net.js").then((m) =>
        m.createCloudNet({ settings, cacheDir: cacheDirFor(c.env.rscTmp), log: c.log }),
      );
      return cloud;
    },
    state: ticketing(stateStore(c), c, settings),
    log: c.log,
    signal: c.signal,
    deadline: c.deadline.at,
    depth: c.checkLevel,
    now: Date.now,
  };
}

/**
 * stop with parameters that do not parse or do not fit together: a failed stop gets the node
 * fenced, so the address still goes (if `secondary_private_ip` names one, and it is no interface's
 * own address) and the stop succeeds; the cloud release is skipped, and the log says why.
 */
export async function stopWithInvalidParameters(
  c: UnparsedActionContext,
  error: Error,
): Promise<void> {
  revokeTicket(c);
  const raw = c.rawEnv.OCF_RESKEY_secondary_private_ip?.trim() ?? "";
  if (isIP(raw) === 0) {
    c.log.warn(`stop: ${error.message}; no valid secondary_private_ip, so no address to remove`);
    return;
  }
  const ip = canonicalIp(raw);
  const store = stateStore(c);
  const state = await store.read().catch(() => undefined);
  await removeLocalAddress({
    ip,
    local: createLocalNet(),
    log: c.log,
    signal: c.signal,
    stateDev: state?.dev,
    primaryIps: undefined,
  });
  await store.remove();
  c.log.warn(
    `stop: releasing ${ip} in the cloud skipped (${error.message}); the next start moves it`,
  );
}

async function runAction(c: Context, action: (ctx: VipContext) => Promise<void>): Promise<void> {
  let ctx: VipContext;
  try {
    ctx = toVipContext(c);
  } catch (error) {
    // Parameters that parse but do not fit together: a stop must still succeed (see above).
    if (c.action === "stop" && error instanceof ConfigurationError) {
      await stopWithInvalidParameters(c, error);
      return;
    }
    throw toOcfError(error);
  }
  try {
    await action(ctx);
  } catch (error) {
    throw toOcfError(error);
  }
}

function run(action: (ctx: VipContext) => Promise<void>): (c: Context) => Promise<void> {
  return async (c) => {
    // A stop removes the quick monitor's ticket before anything else; a start, monitor or reload
    // that fails or runs out of time leaves none behind: the next monitor runs the full agent.
    if (c.action === "stop") revokeTicket(c);
    const guarded = c.action !== "validate-all";
    const onAbort = () => revokeTicket(c);
    if (guarded) c.signal.addEventListener("abort", onAbort, { once: true });
    try {
      await runAction(c, action);
    } catch (error) {
      if (guarded) revokeTicket(c);
      throw error;
    } finally {
      c.signal.removeEventListener("abort", onAbort);
    }
  };
}

/** The `ocivip` OCF agent: its parameters, actions and their meta-data defaults. */
export const ocivipAgent = defineAgent({
  name: "ocivip",
  version: VERSION,
  shortdesc: "Floating secondary private IP on Oracle Cloud Infrastructure",
  longdesc: [
    "Moves a secondary private IP between OCI compute instances: assigns it to this node's VNIC",
    "through the OCI API (waiting until the API shows it), adds it to the host interface whose MAC",
    "matches that VNIC and announces it. Monitors check the host address every time (no API call)",
    "and the cloud assignment every cloud_check_interval seconds, or every time at OCF_CHECK_LEVEL=10.",
    "A drop-in superset of heartbeat:ocivip's parameters; needs no OCI CLI, no jq, no curl.",
  ].join(" "),
  parameters: ocivipParameters,
  actions: {
    start: { timeout: "30s", run: run(start) },
    stop: {
      timeout: "30s",
      run: run(stop),
      onInvalidParameters: (c, error) =>
        stopWithInvalidParameters(c, error).catch((e: unknown) => {
          throw toOcfError(e);
        }),
    },
    monitor: { timeout: "30s", interval: "20s", depth: 0, run: run(monitor) },
    "validate-all": { timeout: "20s", run: run(validateAll) },
    // OCF 1.0 `reload` (the only reload ra-api-1.dtd lets us advertise): Pacemaker calls it when a
    // non-unique parameter changes; start is idempotent and reconciles address, prefix, label, VNIC.
    reload: { timeout: "30s", run: run(reload) },
    "reload-agent": {
      timeout: "10s",
      // Every reloadable parameter is read afresh by each action: there is nothing to restart.
      run: (c) => {
        toSettings(c.params);
        c.log.info("reloaded: new values of reloadable parameters apply from the next action");
      },
    },
  },
});
