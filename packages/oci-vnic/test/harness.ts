import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { mkdtemp, rm } from "node:fs/promises";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Emulator, startEmulator } from "@ocfkit/oci-emulator";
import {
  type AuthOptions,
  createOciVnic,
  type OciVnic,
  type OciVnicOptions,
} from "../src/index.js";

const loopbackUrl = /^https?:\/\/(127\.\d+\.\d+\.\d+|\[::1\]|localhost)(:\d+)?(\/|$)/;

/** Refuses to go on unless every endpoint is on loopback (network safety rule). */
export function assertLoopback(endpoints: Record<string, string | undefined>): void {
  for (const [name, url] of Object.entries(endpoints)) {
    if (url === undefined || !loopbackUrl.test(url)) {
      throw new Error(`test harness refuses endpoint ${name}=${String(url)}: not loopback`);
    }
  }
}

/** Every TCP connection this process opens, as "address:port" once connected. */
export interface ConnectionRecorder {
  readonly connections: string[];
  stop(): void;
}

/** Records each outgoing TCP connection through node's `net.client.socket` diagnostics channel. */
export function recordConnections(): ConnectionRecorder {
  const connections: string[] = [];
  const onSocket = (message: unknown): void => {
    const socket = (message as { socket: Socket }).socket;
    socket.once("connect", () => connections.push(`${socket.remoteAddress}:${socket.remotePort}`));
  };
  subscribe("net.client.socket", onSocket);
  return { connections, stop: () => unsubscribe("net.client.socket", onSocket) };
}

/** A running emulator, temp directories, and clients wired to it. */
export interface Harness {
  emu: Emulator;
  port: string;
  dir: string;
  /** A client acting as `instance` with a cache directory of its own (or `cacheDir`). */
  client(instance: string, extra?: Partial<OciVnicOptions> & { cacheDir?: string }): OciVnic;
  configAuth(): Promise<AuthOptions>;
  stop(): Promise<void>;
}

/** Starts the emulator with `scenario` (default: the tutorial layout). */
export async function startHarness(
  scenario?: Parameters<typeof startEmulator>[0],
): Promise<Harness> {
  const emu = await startEmulator(scenario);
  const dir = await mkdtemp(join(tmpdir(), "oci-vnic-it-"));
  assertLoopback({ api: emu.urls.api, federation: emu.urls.federation, ...emu.urls.imds });
  let n = 0;
  return {
    emu,
    port: new URL(emu.urls.api).port,
    dir,
    client(instance, extra = {}) {
      const endpoints = {
        metadata: emu.urls.imds[instance],
        federation: emu.urls.federation,
        api: emu.urls.api,
      };
      assertLoopback(endpoints);
      const client = createOciVnic({
        region: emu.region,
        cacheDir: join(dir, `${instance}-${n++}`),
        defaultTimeoutMs: 15_000,
        retry: { baseDelayMs: 20, maxDelayMs: 200, attemptTimeoutMs: 3000 },
        metadataRetry: { baseDelayMs: 10, maxDelayMs: 50, attemptTimeoutMs: 1000 },
        ...extra,
        endpoints,
      });
      assertLoopback(client.endpoints);
      return client;
    },
    async configAuth() {
      const files = await emu.writeOciConfig(join(dir, `oci-config-${n++}`));
      return { kind: "config-file", path: files.configFile, profile: files.profile };
    },
    async stop() {
      await emu.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
