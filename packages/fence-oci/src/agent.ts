import { defineFenceAgent, FenceError } from "@ocfkit/fence";
import {
  type AuthOptions,
  createOciApiClient,
  createOciVnic,
  type OciVnicOptions,
} from "@ocfkit/oci-vnic";
import { type Compute, createCompute, powerStateOf } from "./compute.js";
import { toFenceError } from "./error-map.js";
import { fenceOciOptions } from "./options.js";
import { version } from "./version.js";

/** The option values fence_oci's hooks see (its own; the standard ones are added by the framework). */
export interface OciOptionValues {
  readonly compartment?: string | undefined;
  readonly auth: string;
  readonly config_file?: string | undefined;
  readonly profile: string;
  readonly region?: string | undefined;
  readonly api_timeout: number;
  readonly cache_dir: string;
  readonly metadata_endpoint?: string | undefined;
  readonly federation_endpoint?: string | undefined;
  readonly api_endpoint?: string | undefined;
}

const nonEmpty = (value: string | undefined): string | undefined =>
  value === undefined || value === "" ? undefined : value;

/** The `@ocfkit/oci-vnic` options for a set of fence_oci option values. */
export function clientOptions(
  o: OciOptionValues,
  sdkLog?: OciVnicOptions["sdkLog"],
): OciVnicOptions {
  const auth: AuthOptions =
    o.auth === "config_file"
      ? { kind: "config-file", path: nonEmpty(o.config_file), profile: o.profile }
      : o.auth === "resource_principal"
        ? { kind: "resource-principal" }
        : { kind: "instance-principal" };
  return {
    auth,
    region: nonEmpty(o.region),
    cacheDir: o.cache_dir,
    defaultTimeoutMs: o.api_timeout * 1000,
    endpoints: {
      metadata: nonEmpty(o.metadata_endpoint),
      federation: nonEmpty(o.federation_endpoint),
      api: nonEmpty(o.api_endpoint),
    },
    ...(sdkLog ? { sdkLog } : {}),
  };
}

/** What `connect` opens once per process: the Compute calls and the compartment to list. */
export interface Connection {
  readonly compute: Compute;
  compartment(): Promise<string>;
}

/**
 * The fence_oci agent: plugs are instance OCIDs (or display names, looked up in `compartment`);
 * `off` is InstanceAction STOP (an immediate power off), `on` is START, `reboot` is off then on
 * (or one RESET with `method=cycle`), `status` reads GetInstance's lifecycleState (off only once
 * STOPPED), `list` is ListInstances.
 */
export const fenceOciAgent = defineFenceAgent<typeof fenceOciOptions, Connection>({
  name: "fence_oci",
  version,
  shortdesc: "Fence agent for Oracle Cloud Infrastructure (OCI) compute instances",
  longdesc:
    "fence_oci powers OCI compute instances off and on through the Compute API (InstanceAction STOP/START/RESET, GetInstance). " +
    "It authenticates as the instance itself by default (instance principals: a dynamic group of the cluster nodes and the policy statement " +
    '"Allow dynamic-group <group> to use instances in compartment <compartment>"), or with an API key from an OCI config file. ' +
    'Plugs are instance OCIDs; map node names to them with pcmk_host_map="node1:ocid1.instance...;node2:ocid1.instance...", ' +
    "or give display names and the compartment.",
  vendorUrl: "https://www.oracle.com/cloud/",
  plugDescription: "Instance OCID (or display name, looked up in compartment) of the node to fence",
  options: fenceOciOptions,
  // An OCI VM takes tens of seconds to stop or start: wait longer than fence-agents' 20 s.
  defaults: { power_timeout: 120, stonith_status_sleep: 2 },
  rebootCycle: async (ctx, plug) => {
    const c = ctx.connection;
    await c.compute.act(await c.compute.resolve(plug, c.compartment), "RESET");
  },
  async connect(ctx) {
    const opts = clientOptions(ctx.options as unknown as OciOptionValues, (level, message) =>
      level === "warn" ? ctx.log.debug(`OCI SDK: ${message}`) : undefined,
    );
    let api: ReturnType<typeof createOciApiClient>;
    try {
      api = createOciApiClient(opts);
    } catch (error) {
      throw toFenceError(error);
    }
    const timeoutMs = ctx.options.api_timeout * 1000;
    const compute = createCompute(api, timeoutMs);
    const compartment = async (): Promise<string> => {
      if (ctx.options.compartment) return ctx.options.compartment;
      // This instance's compartment, from the metadata service (cached per boot in cache_dir).
      try {
        return (await createOciVnic(opts).instance({ timeoutMs })).compartmentId;
      } catch (error) {
        throw new FenceError(
          toFenceError(error).code,
          `no compartment given and this instance's could not be read (${(error as Error).message}); set compartment`,
          { cause: error },
        );
      }
    };
    return { compute, compartment } satisfies Connection;
  },
  getPowerStatus: async (ctx, plug) => {
    const c = ctx.connection;
    const instance = await c.compute.get(await c.compute.resolve(plug, c.compartment));
    ctx.log.debug(`${plug}: ${instance.lifecycleState}`);
    return powerStateOf(instance.lifecycleState);
  },
  setPowerStatus: async (ctx, plug, target) => {
    const c = ctx.connection;
    const id = await c.compute.resolve(plug, c.compartment);
    const instance = await c.compute.act(id, target === "off" ? "STOP" : "START");
    ctx.log.info(`${target === "off" ? "STOP" : "START"} ${id}: now ${instance.lifecycleState}`);
  },
  listPlugs: async (ctx) => {
    const c = ctx.connection;
    const instances = await c.compute.list(await c.compartment());
    return instances
      .filter((i) => i.lifecycleState !== "TERMINATED")
      .map((i) => ({ plug: i.id, alias: i.displayName, status: powerStateOf(i.lifecycleState) }));
  },
});
