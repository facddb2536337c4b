import { isIP } from "node:net";
import {
  type ActionContext,
  ConfigurationError,
  defineAgent,
  type ParamsOf,
  type PrivateDir,
  type UnparsedActionContext,
} from "@ocfkit/ocf";
import type { VipContext, VipStateStore } from "./context.js";
import { toOcfError } from "./error-map.js";
import { createLocalNet } from "./local-net.js";
import { monitor } from "./monitor.js";
import { ocivipParameters } from "./params.js";
import type { CloudNet } from "./ports.js";
import { FILES, openResourceDir, resourceDirPath } from "./runtime/files.js";
import { paramsKey, parseState, type ResourceState, type StoredState } from "./runtime/rules.js";
import { reload, start } from "./start.js";
import { removeLocalAddress, stop } from "./stop.js";
import { canonicalIp, toSettings } from "./to-settings.js";
import { validateAll } from "./validate.js";
import { VERSION } from "./version.js";

type Context = ActionContext<ParamsOf<typeof ocivipParameters>>;

let opened: { readonly key: string; readonly dir: PrivateDir | undefined } | undefined;

/**
 * The resource's private directory (runtime/files.ts), opened once per process; when it is
 * refused the action keeps no state and no cache (correct, slower) and logs why, once.
 */
export function resourceDir(
  c: Pick<UnparsedActionContext, "rawEnv" | "log">,
): PrivateDir | undefined {
  const key = resourceDirPath(c.rawEnv);
  if (opened?.key !== key) {
    const result = openResourceDir(c.rawEnv);
    if (!result.ok) c.log.warn(`running without state or caches: ${result.reason}`);
    opened = { key, dir: result.ok ? result.dir : undefined };
  }
  return opened.dir;
}

/**
 * The state file (runtime/rules.ts: one document, also the quick path's ticket) in the resource's
 * directory: parsed on read, a malformed one or one for another IP is removed and rebuilt; the
 * writer's parameters' key is recorded with it. With no directory, no state.
 */
function stateStore(
  c: Pick<UnparsedActionContext, "rawEnv" | "log">,
  dir: PrivateDir | undefined,
  ip: string,
): VipStateStore {
  const read = (): StoredState | undefined => {
    const text = dir?.read(FILES.state);
    const state = parseState(text);
    if (text !== undefined && (state === undefined || state.ip !== ip)) {
      c.log.warn(`ignoring the state file ${dir?.file(FILES.state)}: not a state of ${ip}`);
      dir?.remove(FILES.state);
      return undefined;
    }
    return state;
  };
  const write = (state: ResourceState): void => {
    const stored: StoredState = { ...state, version: 1, params: paramsKey(c.rawEnv) };
    dir?.write(FILES.state, JSON.stringify(stored));
  };
  return {
    read: async () => read(),
    write: async (state) => write(state),
    remove: async () => dir?.remove(FILES.state),
    revoke() {
      try {
        const state = read();
        if (state?.nextCloudCheck !== undefined) {
          const { nextCloudCheck: _, ...rest } = state;
          write(rest);
        }
      } catch (error) {
        c.log.warn(`cannot revoke the quick path's ticket: ${(error as Error).message}`);
        try {
          dir?.remove(FILES.state);
        } catch {
          // nothing more to do: the next action rebuilds it
        }
      }
    },
  };
}

/** Builds the action's context from the framework's: settings, real local and (lazy) cloud sides. */
export function toVipContext(c: Context): VipContext {
  const settings = toSettings(c.params);
  const dir = resourceDir(c);
  let cloud: Promise<CloudNet> | undefined;
  return {
    settings,
    local: createLocalNet(),
    cloud: () => {
      cloud ??= import("./cloud-net.js").then((m) =>
        m.createCloudNet({ settings, cacheDir: dir?.path, log: c.log }),
      );
      return cloud;
    },
    state: stateStore(c, dir, settings.ip),
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
  const dir = resourceDir(c);
  const raw = c.rawEnv.OCF_RESKEY_secondary_private_ip?.trim() ?? "";
  if (isIP(raw) === 0) {
    // No IP, no state of one: still make sure no quick path answers "running".
    try {
      dir?.remove(FILES.state);
    } catch (removal) {
      c.log.warn(`stop: cannot remove the state file: ${(removal as Error).message}`);
    }
    c.log.warn(`stop: ${error.message}; no valid secondary_private_ip, so no address to remove`);
    return;
  }
  const ip = canonicalIp(raw);
  const store = stateStore(c, dir, ip);
  store.revoke();
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
    if (c.action === "validate-all") return runAction(c, action);
    // A stop revokes the quick path's ticket before anything else; a start, monitor or reload
    // that fails or runs out of time leaves none behind: the next monitor runs the full agent.
    let revoke: (() => void) | undefined;
    const onAbort = () => revoke?.();
    c.signal.addEventListener("abort", onAbort, { once: true });
    try {
      await runAction(c, async (ctx) => {
        revoke = () => ctx.state.revoke();
        if (c.action === "stop") revoke();
        await action(ctx);
      });
    } catch (error) {
      revoke?.();
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
