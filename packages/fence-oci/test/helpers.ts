import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runFenceAgent } from "@ocfkit/fence";
import { type Emulator, startEmulator } from "@ocfkit/oci-emulator";
import { fenceOciAgent } from "../src/index.js";

const loopbackUrl = /^https?:\/\/(127\.\d+\.\d+\.\d+|\[::1\]|localhost)(:\d+)?(\/|$)/;

/** A running emulator and a temp directory; every endpoint checked to be loopback. */
export interface World {
  emu: Emulator;
  dir: string;
  /** The command-line options pointing fence_oci at the emulator as `instance`. */
  endpointArgs(instance?: "node1" | "node2"): string[];
  /** The same as stdin lines. */
  endpointLines(instance?: "node1" | "node2"): string;
  /** Runs fence_oci in-process with these arguments (or stdin text). */
  run(input: string[] | string): Promise<{ code: number; stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

let n = 0;

/** Starts the emulator (tutorial scenario unless given) with quick power transitions. */
export async function startWorld(scenario?: Parameters<typeof startEmulator>[0]): Promise<World> {
  const emu = await startEmulator(scenario);
  emu.compute.setTimings({ stopMs: 50, startMs: 50 });
  const dir = await mkdtemp(join(tmpdir(), "fence-oci-"));
  const endpoints = (instance: string) => {
    const e = {
      metadata_endpoint: emu.urls.imds[instance] ?? "",
      federation_endpoint: emu.urls.federation,
      api_endpoint: emu.urls.api,
    };
    for (const [name, url] of Object.entries(e)) {
      if (!loopbackUrl.test(url)) throw new Error(`refusing ${name}=${url}: not loopback`);
    }
    return {
      ...e,
      region: emu.region,
      cache_dir: join(dir, `cache-${n++}`),
      stonith_status_sleep: "0.05",
      power_timeout: "10",
      api_timeout: "5",
    };
  };
  const world: World = {
    emu,
    dir,
    endpointArgs: (instance = "node1") =>
      Object.entries(endpoints(instance)).map(([k, v]) => `--${k.replace(/_/g, "-")}=${v}`),
    endpointLines: (instance = "node1") =>
      Object.entries(endpoints(instance))
        .map(([k, v]) => `${k}=${v}\n`)
        .join(""),
    async run(input) {
      let stdout = "";
      let stderr = "";
      const code = await runFenceAgent(fenceOciAgent, {
        argv: typeof input === "string" ? [] : input,
        stdin: typeof input === "string" ? input : "",
        stdout: (t) => {
          stdout += t;
        },
        stderr: (t) => {
          stderr += t;
        },
      });
      return { code, stdout, stderr };
    },
    async stop() {
      await emu.compute.settled();
      await emu.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return world;
}
