import { createServer, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { createAdminHandler } from "./admin.js";
import {
  type ComputeTimings,
  createComputeStore,
  type InstanceLifecycleState,
  type PowerListener,
} from "./compute.js";
import { buildUserKeys, type EmulatorContext, monotonicWallClock } from "./context.js";
import { EmulatorError } from "./errors.js";
import { createFaultStore, type FaultRule } from "./faults.js";
import { type Latency, type LatencyProfile, latencyModel } from "./latency.js";
import { type OciConfigFiles, writeOciConfigFiles } from "./oci-config.js";
import { createStatePersister, parseState, readStateFile } from "./persist.js";
import {
  generateKeyMaterial,
  issueInstanceCertificate,
  type KeyMaterial,
  sharedCertificateAuthority,
} from "./pki.js";
import { createRequestLog, type RequestLogEntry } from "./request-log.js";
import { loadScenario, type ResolvedScenario } from "./scenario.js";
import type { Scenario } from "./scenario-schema.js";
import { createRequestHandler } from "./server.js";
import { createStateStore, type EmulatorState, initialState } from "./state.js";
import { createTokenService } from "./token.js";

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** A scenario object or a path to a JSON/YAML file; default: {@link defaultScenario}. */
  scenario?: Scenario | string;
  /** Address to bind; default 127.0.0.1. Non-loopback needs `allowNonLoopback`. */
  host?: string;
  /** Port; default 0 (ephemeral). */
  port?: number;
  /** Persist the state atomically to this file (and start from it when it exists). */
  stateFile?: string;
  /** Allow binding a non-loopback address, e.g. one inside a test network namespace. */
  allowNonLoopback?: boolean;
  /**
   * Serve HTTPS with this PEM key and certificate (as the real API and federation endpoints do);
   * every URL in `urls` is then `https://`. Clients must trust the certificate, e.g. through
   * `NODE_EXTRA_CA_CERTS`. Default: plain HTTP.
   */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /**
   * How long answers take: `"zero"`, `"realistic"` (API 40-250 ms, federation 100-400 ms, metadata
   * 1-5 ms) or a custom profile; overrides the scenario's `latency`. Default: the scenario's, zero.
   */
  latency?: Latency;
}

/** The URLs an SDK needs: API endpoint, federation endpoint, and each instance's metadata base URL. */
export interface EmulatorUrls {
  /** For `client.endpoint` (the SDK appends `/20160918`). */
  api: string;
  /** For the instance-principal builder's `federationEndpoint` (the SDK POSTs `/v1/x509`). */
  federation: string;
  /** Instance name to `metadataBaseUrl` (ends in `/opc/v2/`). */
  imds: Record<string, string>;
}

/** A running emulator. */
export interface Emulator {
  /** Where the API, federation and each instance's metadata service listen. */
  urls: EmulatorUrls;
  /** The scenario's region, e.g. `us-ashburn-1`. */
  region: string;
  /** The latency profile answers follow: its name (`zero`, `realistic`, `custom`) and ranges. */
  readonly latency: { name: string; profile: LatencyProfile };
  /** Switches the latency profile for the requests that come next (e.g. to compare both). */
  setLatency(latency: Latency): void;
  /** The resolved scenario (every OCID filled in). */
  scenario: ResolvedScenario;
  /** A deep copy of the current state. */
  state(): EmulatorState;
  /** Back to the scenario's initial state; clears faults, the request log and the consistency delay. */
  reset(): void;
  /** Fault injection. */
  faults: { add(rule: FaultRule): string; clear(): void };
  /** Requests seen so far (bounded). */
  requestLog(): RequestLogEntry[];
  /** Empties the request log. */
  clearRequestLog(): void;
  /** Writes become visible to reads only after `ms` milliseconds (0 turns it off). */
  setConsistencyDelay(ms: number): void;
  /**
   * Runs the service clock `ms` ahead of this host's (negative: behind), as when a node's clock
   * is wrong: the `Date` header of every answer (RFC 9110 §6.6.1) shows it, and signatures whose
   * date is more than `maxClockSkewSeconds` from it are refused with 401, as OCI does ("Request
   * Signatures", docs.oracle.com/iaas/Content/API/Concepts/signingrequests.htm). 0 turns it off.
   */
  setClockOffset(ms: number): void;
  /** Writes `config` and `oci_api_key.pem` for the scenario's first API user into `dir`. */
  writeOciConfig(dir: string): Promise<OciConfigFiles>;
  /**
   * Compute instances' power (GetInstance, InstanceAction): states by instance name or OCID,
   * transition times, and listeners told when an instance loses or regains power.
   */
  compute: {
    /** Lifecycle state of an instance (name or OCID). */
    state(instance: string): InstanceLifecycleState | undefined;
    /** Sets a state directly (test setup); no listener runs. */
    setState(instance: string, state: InstanceLifecycleState): void;
    /** How long STOPPING and STARTING last (ms; default 100 each). */
    setTimings(timings: Partial<ComputeTimings>): void;
    /** Called with every power change; a state settles after the listener's promise. */
    onPowerChange(listener: PowerListener): () => void;
    /** Resolves when no power transition is pending. */
    settled(): Promise<void>;
  };
  /** Stops listening, drops open connections and flushes the state file. */
  stop(): Promise<void>;
}

const loopback = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/;

function urlHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

/**
 * Starts the emulator: metadata service, federation and VirtualNetwork/Compute API on one port.
 * @example
 * const emu = await startEmulator();
 * console.log(emu.urls.api, emu.urls.imds.node1);
 * await emu.stop();
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? "127.0.0.1";
  if (!loopback.test(host) && !options.allowNonLoopback) {
    throw new EmulatorError(
      "HOST_NOT_LOOPBACK",
      `host ${host} is not a loopback address; pass allowNonLoopback: true to bind it`,
    );
  }
  const scenario = await loadScenario(options.scenario);
  const wallClock = monotonicWallClock();
  let clockOffsetMs = 0;
  const now = () => wallClock() + clockOffsetMs;
  const startedAt = new Date(now());
  const keyless = scenario.users.filter((u) => u.publicKeyPem === undefined);
  const [ca, leafKeys, userKeys] = await Promise.all([
    sharedCertificateAuthority(startedAt),
    Promise.all(scenario.instances.map(() => generateKeyMaterial())),
    Promise.all(keyless.map(() => generateKeyMaterial())),
  ]);
  const generated = new Map<string, KeyMaterial>(keyless.map((u, i) => [u.name, userKeys[i]!]));
  const leaves = new Map(
    scenario.instances.map((inst, i) => [
      inst.name,
      issueInstanceCertificate(
        ca,
        {
          tenancyId: scenario.tenancy.id,
          compartmentId: scenario.compartments.find((c) => c.name === inst.compartment)!.id,
          instanceId: inst.id,
        },
        leafKeys[i]!,
        startedAt,
      ),
    ]),
  );
  const persister = options.stateFile
    ? createStatePersister(options.stateFile, (error) =>
        process.emitWarning(error.message, "OciEmulatorWarning"),
      )
    : undefined;
  const saved = options.stateFile ? await readStateFile(options.stateFile) : undefined;
  const store = createStateStore(saved ?? initialState(scenario, startedAt), () =>
    persister?.schedule(() => store.live),
  );
  const faults = createFaultStore();
  const compute = createComputeStore(scenario, now);
  const instanceId = (nameOrId: string): string =>
    scenario.instances.find((i) => i.name === nameOrId)?.id ?? nameOrId;
  const log = createRequestLog();
  const hung = new Set<ServerResponse>();
  let latency = latencyModel(options.latency ?? scenario.latency);
  const ctx: EmulatorContext = {
    scenario,
    store,
    tokens: createTokenService(),
    faults,
    compute,
    ca,
    leaves,
    users: buildUserKeys(scenario, generated),
    now,
    retryTokens: new Map(),
  };
  const releaseHung = (): void => {
    for (const res of hung) res.socket?.destroy();
    hung.clear();
  };
  let urls: EmulatorUrls = { api: "", federation: "", imds: {} };
  const emulator: Emulator = {
    get urls() {
      return urls;
    },
    region: scenario.region,
    get latency() {
      return { name: latency.name, profile: latency.profile };
    },
    setLatency(next) {
      latency = latencyModel(next);
    },
    scenario,
    state: () => structuredClone(store.live),
    reset() {
      store.setDelay(0);
      clockOffsetMs = 0;
      store.replace(initialState(scenario, startedAt));
      faults.clear();
      releaseHung();
      log.clear();
      ctx.retryTokens.clear();
      compute.reset();
    },
    faults: {
      add: (rule) => faults.add(rule),
      clear() {
        faults.clear();
        releaseHung();
      },
    },
    requestLog: () => log.entries(),
    clearRequestLog: () => log.clear(),
    compute: {
      state: (instance) => compute.state(instanceId(instance)),
      setState: (instance, state) => compute.setState(instanceId(instance), state),
      setTimings: (timings) => compute.setTimings(timings),
      onPowerChange: (listener) => compute.onPowerChange(listener),
      settled: () => compute.settled(),
    },
    setConsistencyDelay(ms) {
      if (!Number.isInteger(ms) || ms < 0)
        throw new EmulatorError(
          "STATE_INVALID",
          `consistency delay must be a non-negative integer of ms, got ${ms}`,
        );
      store.setDelay(ms);
    },
    setClockOffset(ms) {
      if (!Number.isFinite(ms))
        throw new EmulatorError("STATE_INVALID", `clock offset must be a number of ms, got ${ms}`);
      clockOffsetMs = ms;
    },
    writeOciConfig: (dir) =>
      writeOciConfigFiles(dir, {
        user: ctx.users.find((u) => u.privateKeyPem !== undefined),
        tenancyId: scenario.tenancy.id,
        region: scenario.region,
      }),
    stop: async () => {
      releaseHung();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await persister?.flush();
    },
  };
  const admin = createAdminHandler({
    state: emulator.state,
    setState: (data) => store.replace(parseState(data, "PUT /_emulator/state body")),
    reset: emulator.reset,
    addFault: (rule) => faults.add(rule),
    removeFault: (id) => faults.remove(id),
    clearFaults: emulator.faults.clear,
    listFaults: () => faults.list(),
    requestLog: emulator.requestLog,
    clearRequestLog: emulator.clearRequestLog,
    setConsistencyDelay: emulator.setConsistencyDelay,
    // cpuUsage lets a benchmark measure the server's own cost per request under any machine load.
    describe: () => ({ urls, region: scenario.region, scenario, cpuUsage: process.cpuUsage() }),
  });
  const handler = createRequestHandler({ ctx, log, hung, admin, latency: () => latency });
  const server = options.tls
    ? createHttpsServer(
        { keepAliveTimeout: 5000, key: options.tls.key, cert: options.tls.cert },
        handler,
      )
    : createServer({ keepAliveTimeout: 5000 }, handler);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const base = `${options.tls ? "https" : "http"}://${urlHost(host)}:${port}`;
  urls = {
    api: base,
    federation: base,
    imds: Object.fromEntries(
      scenario.instances.map((i) => [i.name, `${base}/imds/${encodeURIComponent(i.name)}/opc/v2/`]),
    ),
  };
  return emulator;
}
