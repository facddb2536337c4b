import { createLogger, parseParameters } from "@ocfkit/ocf";
import { ocivipAgent } from "./agent.js";
import { CLI_EXIT } from "./cli.js";
import { parse } from "./commands.js";
import { formatDoctorCheck, formatDoctorSummary, runDoctor } from "./doctor.js";
import { createLocalNet } from "./local-net.js";
import type { CloudNet } from "./ports.js";
import type { Settings } from "./settings.js";
import { toSettings } from "./to-settings.js";
import { UsageError } from "./usage-error.js";

const kebab = (name: string) => name.replaceAll("_", "-");

/** `ocivip doctor --help`: every agent parameter as an option. */
export function doctorUsage(): string {
  const lines = ocivipAgent
    .parameterSpecs()
    .filter((spec) => !spec.deprecated)
    .map((spec) => `  --${kebab(spec.name)} VALUE`.padEnd(34) + spec.shortdesc);
  return [
    "usage: ocivip doctor [--secondary-private-ip IP] [--OPTION VALUE ...] [name=value ...]",
    "Checks this node in plain words, as the agent would run with these parameters (unset ones",
    "are read from OCF_RESKEY_* in the environment). Changes nothing. Prints each check as it",
    "completes. Exit 0: nothing failed; 1: a check failed; 2: usage error.",
    ...lines,
    "  -h, --help                      this text",
    "Options may also be given as --name=value, --snake_case_name VALUE or name=value.",
  ].join("\n");
}

/**
 * `ocivip doctor [--name VALUE ...] [name=value ...]`: parameters as the resource has them
 * (`OCF_RESKEY_*` in the environment fill the rest); prints each check as it completes; exit 0
 * when nothing failed, 1 when a check failed, 2 on a usage error.
 */
export async function runDoctorCli(args: readonly string[]): Promise<number> {
  const specs = ocivipAgent.parameterSpecs();
  const options: Record<string, { type: "string" } | { type: "boolean"; short?: string }> = {
    help: { type: "boolean", short: "h" },
  };
  for (const spec of specs) {
    options[kebab(spec.name)] = { type: "string" };
    options[spec.name] = { type: "string" };
  }
  const { values, positionals } = parse(args, options, true);
  if (values.help) {
    process.stdout.write(`${doctorUsage()}\n`);
    return CLI_EXIT.OK;
  }
  const env: Record<string, string | undefined> = { ...process.env };
  for (const arg of positionals) {
    const eq = arg.indexOf("=");
    const name = arg.slice(0, eq);
    if (eq <= 0 || !specs.some((spec) => spec.name === name)) {
      throw new UsageError(
        `expected --option VALUE or name=value with a parameter name (e.g. secondary_private_ip=10.0.0.5), got ${JSON.stringify(arg)}`,
      );
    }
    env[`OCF_RESKEY_${name}`] = arg.slice(eq + 1);
  }
  for (const spec of specs) {
    const value = values[kebab(spec.name)] ?? values[spec.name];
    if (typeof value === "string") env[`OCF_RESKEY_${spec.name}`] = value;
  }
  let settings: Settings | Error;
  try {
    settings = toSettings(await parseParameters(ocivipAgent.definition.parameters, specs, env));
  } catch (error) {
    settings = error as Error;
  }
  const rscTmp = env.HA_RSCTMP || "/run/resource-agents";
  const log = createLogger({
    log: { facility: undefined, tag: undefined, file: undefined, debugFile: undefined },
    debug: false,
    agentName: "ocivip-doctor",
    instance: undefined,
    stderr: process.stderr,
  });
  let cloud: Promise<CloudNet> | undefined;
  const checks = await runDoctor({
    settings,
    local: createLocalNet(),
    rscTmp,
    cloud: () => {
      if (settings instanceof Error) return Promise.reject(settings);
      const s = settings;
      cloud ??= import("./cloud-net.js").then((m) =>
        m.createCloudNet({ settings: s, cacheDir: undefined, log }),
      );
      return cloud;
    },
    onCheck: (check) => process.stdout.write(formatDoctorCheck(check)),
  });
  process.stdout.write(formatDoctorSummary(checks));
  return checks.some((c) => c.status === "fail") ? CLI_EXIT.FAILURE : CLI_EXIT.OK;
}
