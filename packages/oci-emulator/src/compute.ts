import { type ApiCall, type ApiResult, paginate, withEtag } from "./api-common.js";
import { authorize } from "./context.js";
import { EmulatorError } from "./errors.js";
import { ApiError, invalidParameter, notAuthorizedOrNotFound } from "./http-util.js";
import type { ResolvedInstance, ResolvedScenario } from "./scenario.js";

// Compute instances' power lifecycle, after the Compute API reference: `Instance.lifecycleState`
// (https://docs.oracle.com/iaas/api/#/en/iaas/20160918/Instance/) and `InstanceAction`
// (https://docs.oracle.com/iaas/api/#/en/iaas/20160918/Instance/InstanceAction):
// STOP powers off at once, START powers on, RESET powers off and on at once; SOFTSTOP and
// SOFTRESET first ask the OS (ACPI) and are emulated like STOP and RESET, as an emulated OS
// has nothing to shut down. The call answers 200 with the instance in its transitional state
// (STOPPING, STARTING); the state settles after the configured time.

/** An instance's lifecycle state, as `Instance.lifecycleState` names it. */
export type InstanceLifecycleState = "RUNNING" | "STOPPING" | "STOPPED" | "STARTING";

/** The power actions `InstanceAction` takes. */
export const instanceActions = ["STOP", "START", "RESET", "SOFTSTOP", "SOFTRESET"] as const;

/** One power action. */
export type InstanceActionName = (typeof instanceActions)[number];

/** How long the transitional states last, in milliseconds. */
export interface ComputeTimings {
  /** STOPPING → STOPPED (default 100). */
  stopMs: number;
  /** STARTING → RUNNING (default 100). */
  startMs: number;
}

/** A power change the emulator reports: the instance lost power (`off`) or booted (`on`). */
export interface PowerChange {
  /** Scenario name of the instance. */
  instance: string;
  /** Its OCID. */
  instanceId: string;
  /** `off` when power is cut (STOP, RESET), `on` when it comes back (START, end of RESET). */
  power: "on" | "off";
  /** The action that caused it. */
  action: InstanceActionName;
}

/** Called on every power change; the state settles only after the promise it returns does. */
export type PowerListener = (change: PowerChange) => void | Promise<void>;

interface PowerRecord {
  state: InstanceLifecycleState;
  /** Bumped by every action, so a superseded transition does not settle. */
  generation: number;
  timeUpdated: string;
}

/** The emulator's compute side: power states, timings and power listeners. */
export interface ComputeStore {
  /** The lifecycle state of an instance (by OCID). */
  state(instanceId: string): InstanceLifecycleState | undefined;
  /** Sets an instance's state directly (test setup); no listener runs. */
  setState(instanceId: string, state: InstanceLifecycleState): void;
  /** Changes the transitional states' durations. */
  setTimings(timings: Partial<ComputeTimings>): void;
  /** Subscribes to power changes; returns the unsubscribe function. */
  onPowerChange(listener: PowerListener): () => void;
  /** Runs one power action (what `InstanceAction` does after IAM); returns the new state. */
  act(instanceId: string, action: InstanceActionName): InstanceLifecycleState;
  /** Resolves once no transition is pending (for tests and shutdown). */
  settled(): Promise<void>;
  /** Back to every instance RUNNING, default timings; listeners stay. */
  reset(): void;
}

const defaultTimings: ComputeTimings = { stopMs: 100, startMs: 100 };

/** Creates the compute store of a scenario: every instance starts RUNNING. */
export function createComputeStore(scenario: ResolvedScenario, now: () => number): ComputeStore {
  const records = new Map<string, PowerRecord>();
  const listeners = new Set<PowerListener>();
  const pending = new Set<Promise<void>>();
  let timings = { ...defaultTimings };
  const stamp = (): string => new Date(now()).toISOString();
  const init = (): void => {
    records.clear();
    for (const i of scenario.instances) {
      records.set(i.id, { state: "RUNNING", generation: 0, timeUpdated: stamp() });
    }
  };
  init();
  const nameOf = (id: string): string => scenario.instances.find((i) => i.id === id)?.name ?? id;

  const notify = async (change: PowerChange): Promise<void> => {
    for (const listener of listeners) {
      try {
        await listener(change);
      } catch (error) {
        process.emitWarning(
          `power listener failed for ${change.instance} (${change.power}): ${String(error)}`,
          "OciEmulatorWarning",
        );
      }
    }
  };
  const wait = (ms: number): Promise<void> =>
    new Promise((resolve) => setTimeout(resolve, ms).unref());

  // Moves through `steps` unless another action superseded this one.
  const transition = (
    id: string,
    record: PowerRecord,
    action: InstanceActionName,
    steps: Array<{ power: "on" | "off"; ms: number; settle: InstanceLifecycleState }>,
  ): void => {
    const generation = ++record.generation;
    const run = (async () => {
      for (const step of steps) {
        await Promise.all([
          wait(step.ms),
          notify({ instance: nameOf(id), instanceId: id, power: step.power, action }),
        ]);
        if (record.generation !== generation) return;
        record.state = step.settle;
        record.timeUpdated = stamp();
      }
    })();
    pending.add(run);
    void run.finally(() => pending.delete(run));
  };

  return {
    state: (id) => records.get(id)?.state,
    setState(id, state) {
      const record = records.get(id);
      if (!record) throw new EmulatorError("STATE_INVALID", `no instance ${id} in the scenario`);
      record.generation++;
      record.state = state;
      record.timeUpdated = stamp();
    },
    setTimings(next) {
      for (const [key, value] of Object.entries(next)) {
        if (!Number.isInteger(value) || (value as number) < 0) {
          throw new EmulatorError(
            "STATE_INVALID",
            `compute timing ${key} must be a non-negative integer of ms, got ${String(value)}`,
          );
        }
      }
      timings = { ...timings, ...next };
    },
    onPowerChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    act(id, action) {
      const record = records.get(id);
      if (!record) throw notAuthorizedOrNotFound();
      const { state } = record;
      const stopping = action === "STOP" || action === "SOFTSTOP";
      const resetting = action === "RESET" || action === "SOFTRESET";
      // Asking for the state the instance is in or moving to changes nothing (answered 200).
      if (stopping && (state === "STOPPED" || state === "STOPPING")) return state;
      if (action === "START" && (state === "RUNNING" || state === "STARTING")) return state;
      if (stopping && state === "RUNNING") {
        record.state = "STOPPING";
        transition(id, record, action, [{ power: "off", ms: timings.stopMs, settle: "STOPPED" }]);
      } else if (action === "START" && state === "STOPPED") {
        record.state = "STARTING";
        transition(id, record, action, [{ power: "on", ms: timings.startMs, settle: "RUNNING" }]);
      } else if (resetting && state === "RUNNING") {
        record.state = "STOPPING";
        transition(id, record, action, [
          { power: "off", ms: timings.stopMs, settle: "STARTING" },
          { power: "on", ms: timings.startMs, settle: "RUNNING" },
        ]);
      } else {
        // A transition in progress (or RESET of a stopped instance): OCI answers 409.
        throw new ApiError(
          409,
          "IncorrectState",
          `cannot ${action} instance ${id}: it is ${state}`,
        );
      }
      record.timeUpdated = stamp();
      return record.state;
    },
    async settled() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    reset() {
      for (const record of records.values()) record.generation++;
      timings = { ...defaultTimings };
      init();
    },
  };
}

function instanceOr404(scenario: ResolvedScenario, id: string | undefined): ResolvedInstance {
  const instance = scenario.instances.find((i) => i.id === id);
  if (!instance) throw notAuthorizedOrNotFound();
  return instance;
}

function instanceBody(call: ApiCall, instance: ResolvedInstance): Record<string, unknown> {
  const { scenario } = call.ctx;
  return {
    id: instance.id,
    displayName: instance.name,
    compartmentId: scenario.compartments.find((c) => c.name === instance.compartment)?.id,
    availabilityDomain: instance.availabilityDomain,
    faultDomain: instance.faultDomain ?? "FAULT-DOMAIN-1",
    region: scenario.region,
    shape: instance.shape ?? "VM.Standard.E4.Flex",
    lifecycleState: call.ctx.compute.state(instance.id),
    timeCreated: new Date(0).toISOString(),
    metadata: {},
    freeformTags: {},
    definedTags: {},
  };
}

/** GetInstance: the instance with its lifecycleState (IAM: read instances). */
export function getInstance(call: ApiCall): ApiResult {
  const instance = instanceOr404(call.ctx.scenario, call.params[0]);
  const body = instanceBody(call, instance);
  authorize(call.ctx, call.principal, String(body.compartmentId), "read");
  return withEtag(body);
}

/** ListInstances: by `compartmentId` (required), optionally `displayName` and `lifecycleState`. */
export function listInstances(call: ApiCall): ApiResult {
  const compartmentId = call.query.get("compartmentId");
  if (compartmentId === undefined) throw invalidParameter("compartmentId is required");
  authorize(call.ctx, call.principal, compartmentId, "read");
  const displayName = call.query.get("displayName");
  const lifecycleState = call.query.get("lifecycleState");
  const items = call.ctx.scenario.instances
    .map((i) => instanceBody(call, i))
    .filter(
      (b) =>
        b.compartmentId === compartmentId &&
        (displayName === undefined || b.displayName === displayName) &&
        (lifecycleState === undefined || b.lifecycleState === lifecycleState),
    );
  return paginate(items, call.query);
}

/**
 * InstanceAction: `POST /instances/{id}?action=STOP|START|RESET|SOFTSTOP|SOFTRESET`. IAM: real
 * OCI needs INSTANCE_POWER_ACTIONS (in `use instances`); the emulator's closest verb is manage.
 */
export function instanceAction(call: ApiCall): ApiResult {
  const instance = instanceOr404(call.ctx.scenario, call.params[0]);
  const action = call.query.get("action");
  if (action === undefined || !(instanceActions as readonly string[]).includes(action)) {
    throw invalidParameter(
      `action must be one of ${instanceActions.join(", ")}, got "${action ?? ""}"`,
    );
  }
  const compartmentId = call.ctx.scenario.compartments.find(
    (c) => c.name === instance.compartment,
  )?.id;
  authorize(call.ctx, call.principal, String(compartmentId), "manage");
  call.ctx.compute.act(instance.id, action as InstanceActionName);
  return withEtag(instanceBody(call, instance));
}
