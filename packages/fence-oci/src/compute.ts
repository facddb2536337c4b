import { FenceError, type PowerState } from "@ocfkit/fence";
import type { OciApiClient } from "@ocfkit/oci-vnic";
import { toFenceError } from "./error-map.js";

/** An instance as GetInstance / ListInstances return it (the fields fence_oci reads). */
export interface InstanceSummary {
  /** Instance OCID. */
  readonly id: string;
  /** Display name. */
  readonly displayName: string;
  /** `RUNNING`, `STOPPED`, `STOPPING`, `STARTING`, `TERMINATED`, ... */
  readonly lifecycleState: string;
}

/** The power actions fence_oci sends (InstanceAction). */
export type PowerAction = "STOP" | "START" | "RESET";

/** The IAM statement fence_oci needs: `use instances` holds INSTANCE_POWER_ACTIONS and reads. */
export const iamStatement =
  "Allow dynamic-group <a dynamic group matching the cluster nodes> to use instances in compartment <the nodes' compartment>";

/**
 * A lifecycle state as a fence power state. Power is "off" only once OCI says STOPPED (or the
 * instance is gone): STOPPING still counts as on, so `off` waits until the stop is complete.
 */
export function powerStateOf(lifecycleState: string): PowerState {
  switch (lifecycleState) {
    case "STOPPED":
    case "TERMINATING":
    case "TERMINATED":
      return "off";
    default:
      return "on";
  }
}

const instancePath = "/instances/{instanceId}";
const ocidPattern = /^ocid1\.instance\.[a-z0-9._-]+$/i;

/** Compute calls fence_oci makes, each within `timeoutMs` (retries included). */
export interface Compute {
  /** GetInstance. */
  get(instanceId: string): Promise<InstanceSummary>;
  /** InstanceAction; repeating it is harmless, so it is retried like a read. */
  act(instanceId: string, action: PowerAction): Promise<InstanceSummary>;
  /** ListInstances of a compartment (all pages). */
  list(compartmentId: string, displayName?: string): Promise<InstanceSummary[]>;
  /** A plug as an instance OCID: an OCID as is, else the one instance with that display name. */
  resolve(plug: string, compartmentId: () => Promise<string>): Promise<string>;
}

/** Builds the Compute calls over an OCI API client. */
export function createCompute(api: OciApiClient, timeoutMs: number): Compute {
  const call = async <T>(request: Parameters<OciApiClient["request"]>[0]): Promise<T> => {
    try {
      return (await api.request<T>({ ...request, iamHint: iamStatement }, { timeoutMs })).body;
    } catch (error) {
      throw toFenceError(error);
    }
  };
  // One page: OciApiClient returns no opc-next-page, and ListInstances takes up to 1000 per page
  // (the compartment of a cluster's nodes holds far fewer).
  const list = async (compartmentId: string, displayName?: string) => {
    const queryParams: Record<string, string> = { compartmentId, limit: "1000" };
    if (displayName !== undefined) queryParams.displayName = displayName;
    const items = await call<InstanceSummary[] | undefined>({
      operation: "ListInstances",
      method: "GET",
      path: "/instances",
      queryParams,
    });
    return items ?? [];
  };
  return {
    get: (instanceId) =>
      call<InstanceSummary>({
        operation: "GetInstance",
        method: "GET",
        path: instancePath,
        pathParams: { instanceId },
      }),
    act: (instanceId, action) =>
      call<InstanceSummary>({
        operation: "InstanceAction",
        method: "POST",
        path: instancePath,
        pathParams: { instanceId },
        queryParams: { action },
        idempotent: true,
      }),
    list,
    async resolve(plug, compartmentId) {
      if (ocidPattern.test(plug)) return plug;
      if (plug.startsWith("ocid1.")) {
        throw new FenceError(
          "BAD_ARGS",
          `option "plug": ${plug} is not an instance OCID (ocid1.instance....)`,
        );
      }
      const found = (await list(await compartmentId(), plug)).filter(
        (i) => i.lifecycleState !== "TERMINATED",
      );
      if (found.length === 1) return found[0]!.id;
      if (found.length === 0) {
        throw new FenceError(
          "UNKNOWN_PLUG",
          `no instance named "${plug}" in the compartment; give the instance OCID as plug, or map node names to OCIDs with pcmk_host_map`,
        );
      }
      throw new FenceError(
        "BAD_ARGS",
        `option "plug": ${found.length} instances are named "${plug}" (${found.map((i) => i.id).join(", ")}); use the instance OCID`,
      );
    },
  };
}
