import { type ParseArgsConfig, parseArgs } from "node:util";

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig["options"]>;

import { CLI_EXIT } from "./cli.js";
import { UsageError } from "./usage-error.js";

interface Command {
  readonly usage: string;
  run(args: readonly string[]): Promise<number>;
}

const WHERE = `  --provider NAME    OCF provider directory (ocf:NAME:ocivip), default ocfkit
  --ocf-root DIR     OCF root, default $OCF_ROOT or /usr/lib/ocf
  -h, --help         this text`;

const whereOptions = {
  provider: { type: "string" },
  "ocf-root": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** The --provider and --ocf-root values (strings: whereOptions declares them so). */
function where(values: ParsedArgs["values"]): { provider?: string; ocfRoot?: string } {
  const { provider, "ocf-root": ocfRoot } = values;
  return {
    ...(typeof provider === "string" ? { provider } : {}),
    ...(typeof ocfRoot === "string" ? { ocfRoot } : {}),
  };
}

/** What {@link parse} returns: option values by name, and the positionals. */
export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
  readonly positionals: readonly string[];
}

/** parseArgs with strict: true; its errors become {@link UsageError}s. */
export function parse(
  args: readonly string[],
  options: ParseArgsOptionsConfig,
  allowPositionals = false,
): ParsedArgs {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

const install: Command = {
  usage: `usage: ocivip install [--provider NAME] [--ocf-root DIR]
Writes <ocf-root>/resource.d/<provider>/ocivip, a launcher recording this node binary and this
package's agent, so that Pacemaker lists ocf:<provider>:ocivip.
${WHERE}`,
  async run(args) {
    const { values } = parse(args, whereOptions);
    if (values.help) {
      process.stdout.write(`${this.usage}\n`);
      return CLI_EXIT.OK;
    }
    const { installAgent } = await import("./install.js");
    const result = await installAgent({
      ...where(values),
    });
    process.stdout.write(
      `installed ${result.path} (node ${result.nodePath}, agent ${result.entry})\n` +
        `check: crm_resource --list-agents ocf:${values.provider ?? "ocfkit"}\n`,
    );
    return CLI_EXIT.OK;
  },
};

const uninstall: Command = {
  usage: `usage: ocivip uninstall [--provider NAME] [--ocf-root DIR]
Removes <ocf-root>/resource.d/<provider>/ocivip if \`ocivip install\` wrote it (a regular file
carrying the launcher's marker); refuses (exit 1) to remove anything else. Stop and delete the
cluster resources using it first.
${WHERE}`,
  async run(args) {
    const { values } = parse(args, whereOptions);
    if (values.help) {
      process.stdout.write(`${this.usage}\n`);
      return CLI_EXIT.OK;
    }
    const { uninstallAgent } = await import("./install.js");
    const result = await uninstallAgent({
      ...where(values),
    });
    process.stdout.write(
      result.removed ? `removed ${result.path}\n` : `nothing installed at ${result.path}\n`,
    );
    return CLI_EXIT.OK;
  },
};

const doctor: Command = {
  usage: "", // built from the parameters, see doctorUsage()
  async run(args) {
    const { runDoctorCli } = await import("./doctor-cli.js");
    return runDoctorCli(args);
  },
};

const COMMANDS: Record<string, Command> = { install, uninstall, doctor };

/** Runs `ocivip install|uninstall|doctor ARGS`; prints errors on stderr; returns the exit code. */
export async function runCommand(name: string, args: readonly string[]): Promise<number> {
  const command = COMMANDS[name];
  if (command === undefined) {
    process.stderr.write(`ocivip: unknown command ${name}\n`);
    return CLI_EXIT.USAGE;
  }
  try {
    return await command.run(args);
  } catch (error) {
    const message = (error as Error).message;
    if (error instanceof UsageError) {
      const usage = name === "doctor" ? "see: ocivip doctor --help" : command.usage;
      process.stderr.write(`ocivip ${name}: ${message}\n${usage}\n`);
      return CLI_EXIT.USAGE;
    }
    process.stderr.write(`ocivip ${name}: ${message}\n`);
    return CLI_EXIT.FAILURE;
  }
}
