import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as common from "oci-common";
import * as core from "oci-core";
import { afterEach, vi } from "vitest";
import type { Emulator } from "../src/index.js";

/** The SDK retries nothing by default for these operations; keep the circuit breaker out of tests. */
const noBreaker = (): common.ClientConfiguration => ({
  circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true } as never),
});

/** A VirtualNetworkClient pointed at the emulator (endpoint set after construction, as the SDK needs). */
export function networkClient(
  emu: Emulator,
  provider: common.AuthenticationDetailsProvider,
): core.VirtualNetworkClient {
  const client = new core.VirtualNetworkClient(
    { authenticationDetailsProvider: provider },
    noBreaker(),
  );
  client.endpoint = emu.urls.api;
  return client;
}

/** A ComputeClient pointed at the emulator. */
export function computeClient(
  emu: Emulator,
  provider: common.AuthenticationDetailsProvider,
): core.ComputeClient {
  const client = new core.ComputeClient({ authenticationDetailsProvider: provider }, noBreaker());
  client.endpoint = emu.urls.api;
  return client;
}

/** An instance-principal provider built through the emulator's metadata service and federation. */
export async function instancePrincipal(
  emu: Emulator,
  instance: string,
): Promise<
  common.AuthenticationDetailsProvider & { getKeyId(): Promise<string>; getPrivateKey(): string }
> {
  const builder = new common.InstancePrincipalsAuthenticationDetailsProviderBuilder();
  builder.metadataBaseUrl = emu.urls.imds[instance]!;
  builder.federationEndpoint = emu.urls.federation;
  return builder.build();
}

/** A config-file provider from the emulator's written OCI config. */
export async function configFileProvider(
  emu: Emulator,
): Promise<{ provider: common.ConfigFileAuthenticationDetailsProvider; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), "oci-emu-"));
  const files = await emu.writeOciConfig(dir);
  return {
    provider: new common.ConfigFileAuthenticationDetailsProvider(files.configFile, files.profile),
    dir,
  };
}

/** Removes a temporary directory. */
export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Silences the SDK's console.warn/log/info on failures for the current test (keeps the output clean). */
export function quietSdk(): void {
  vi.spyOn(console, "warn").mockImplementation(() => undefined);
  vi.spyOn(console, "log").mockImplementation(() => undefined);
  vi.spyOn(console, "info").mockImplementation(() => undefined);
}

afterEach(() => {
  vi.restoreAllMocks();
});

/** Runs a promise expected to fail and returns the SDK error. */
export async function sdkError(
  promise: Promise<unknown>,
): Promise<{ statusCode?: number; serviceCode?: string; message?: string; code?: unknown }> {
  try {
    await promise;
  } catch (error) {
    return error as { statusCode?: number; serviceCode?: string };
  }
  throw new Error("expected the SDK call to fail, it succeeded");
}
