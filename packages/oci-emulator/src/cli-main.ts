import { parseArgs } from "node:util";
import { type Emulator, startEmulator } from "./emulator.js";
import { EmulatorError, type EmulatorErrorCode } from "./errors.js";
import { VERSION } from "./version.js";

const usage = `usage: oci-emulator [--scenario FILE] [--host 127.0.0.1] [--port 0] [--state-file FILE]
                    [--write-oci-config DIR] [--allow-non-loopback] [--latency zero|realistic]
       oci-emulator --help | --version
Prints one JSON line {"api","federation","imds":{...}} once listening; stops on SIGTERM/SIGINT.
Exit codes: 0 stopped cleanly (or --help, --version), 1 failed (a file could not be read or
written), 2 usage error (unknown option, bad value, non-loopback host, invalid scenario).`;

/** The exit codes of `oci-emulator`. */
export const CLI_EXIT = {
  /** Stopped cleanly, or --help / --version. */
  OK: 0,
  /** A file (scenario, state, OCI config) could not be read or written; an unexpected error. */
  FAILURE: 1,
  /** An option or its value cannot be used; nothing was started. */
  USAGE: 2,
} as const;

/** Which errors are the caller's options (2); the rest are failures (1). */
const USAGE_ERRORS = new Set<EmulatorErrorCode>([
  "OPTION_INVALID",
  "HOST_NOT_LOOPBACK",
  "SCENARIO_INVALID",
  "FAULT_INVALID",
]);

/** Where the CLI writes and how it waits for a stop signal (injectable for tests). */
export interface CliIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  onStop: (stop: () => void) => void;
}

function parsePort(text: string | undefined): number {
  if (text === undefined) return 0;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) {
    throw new EmulatorError(
      "OPTION_INVALID",
      `--port must be an integer from 0 to 65535, got "${text}"`,
    );
  }
  return port;
}

/** Runs the `oci-emulator` command; resolves with the exit status once stopped (or on error). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let values: ReturnType<typeof parse>["values"];
  try {
    values = parse(argv).values;
  } catch (error) {
    io.stderr(`oci-emulator: ${(error as Error).message}\n${usage}`);
    return CLI_EXIT.USAGE;
  }
  if (values.help) {
    io.stdout(usage);
    return CLI_EXIT.OK;
  }
  if (values.version) {
    io.stdout(`oci-emulator ${VERSION}`);
    return CLI_EXIT.OK;
  }
  const latency = values.latency;
  if (latency !== undefined && latency !== "zero" && latency !== "realistic") {
    io.stderr(`oci-emulator: --latency must be zero or realistic, got "${latency}"\n${usage}`);
    return CLI_EXIT.USAGE;
  }
  let emulator: Emulator;
  try {
    emulator = await startEmulator({
      ...(latency ? { latency } : {}),
      ...(values.scenario ? { scenario: values.scenario } : {}),
      ...(values.host ? { host: values.host } : {}),
      port: parsePort(values.port),
      ...(values["state-file"] ? { stateFile: values["state-file"] } : {}),
      allowNonLoopback: values["allow-non-loopback"] ?? false,
    });
  } catch (error) {
    io.stderr(`oci-emulator: ${(error as Error).message}`);
    return error instanceof EmulatorError && USAGE_ERRORS.has(error.code)
      ? CLI_EXIT.USAGE
      : CLI_EXIT.FAILURE;
  }
  let configFile: string | undefined;
  if (values["write-oci-config"]) {
    try {
      configFile = (await emulator.writeOciConfig(values["write-oci-config"])).configFile;
    } catch (error) {
      io.stderr(`oci-emulator: ${(error as Error).message}`);
      await emulator.stop();
      return CLI_EXIT.FAILURE;
    }
  }
  const { api, federation, imds } = emulator.urls;
  io.stdout(
    JSON.stringify({
      api,
      federation,
      imds,
      region: emulator.region,
      latency: emulator.latency.name,
      ...(configFile ? { configFile } : {}),
    }),
  );
  await new Promise<void>((resolve) => io.onStop(resolve));
  await emulator.stop();
  return CLI_EXIT.OK;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      scenario: { type: "string" },
      host: { type: "string" },
      port: { type: "string" },
      "state-file": { type: "string" },
      "write-oci-config": { type: "string" },
      "allow-non-loopback": { type: "boolean" },
      latency: { type: "string" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "V" },
    },
  });
}
