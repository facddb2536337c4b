import { parseArgs } from "node:util";
import { type Emulator, startEmulator } from "./emulator.js";
import { EmulatorError } from "./errors.js";

const usage = `usage: oci-emulator [--scenario FILE] [--host 127.0.0.1] [--port 0] [--state-file FILE]
                    [--write-oci-config DIR] [--allow-non-loopback] [--latency zero|realistic]
Prints one JSON line {"api","federation","imds":{...}} once listening; stops on SIGTERM/SIGINT.`;

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
    return 2;
  }
  if (values.help) {
    io.stdout(usage);
    return 0;
  }
  const latency = values.latency;
  if (latency !== undefined && latency !== "zero" && latency !== "realistic") {
    io.stderr(`oci-emulator: --latency must be zero or realistic, got "${latency}"\n${usage}`);
    return 2;
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
    return error instanceof EmulatorError ? 2 : 1;
  }
  let configFile: string | undefined;
  if (values["write-oci-config"]) {
    try {
      configFile = (await emulator.writeOciConfig(values["write-oci-config"])).configFile;
    } catch (error) {
      io.stderr(`oci-emulator: ${(error as Error).message}`);
      await emulator.stop();
      return 1;
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
  return 0;
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
    },
  });
}
