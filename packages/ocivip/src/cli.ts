import { config as zodConfig } from "zod/v4/core";
import { listAddressesEarly } from "./local-net.js";

/** Exit codes of the commands for people (`install`, `uninstall`, `doctor`, `--help`, `--version`). */
export const CLI_EXIT = {
  /** Done. */
  OK: 0,
  /** The command ran and failed (a doctor check failed, a file not ours, a write refused). */
  FAILURE: 1,
  /** Usage error: unknown command or option, a missing or bad option value. Nothing was done. */
  USAGE: 2,
} as const;

const ACTIONS = "start, stop, monitor, validate-all, meta-data, reload-agent, reload";

const HELP = `usage: ocivip <OCF action>        run as an OCF agent (${ACTIONS}); exits with the OCF code
       ocivip install [options]     install the launcher Pacemaker runs (default ocf:ocfkit:ocivip)
       ocivip uninstall [options]   remove the launcher that install wrote
       ocivip doctor [options]      check this node's prerequisites in plain words
       ocivip <command> --help      options of a command
       ocivip --version             print the version
exit codes (install, uninstall, doctor): 0 done, 1 failed, 2 usage error (nothing done)
`;

/**
 * The `ocivip` command: an OCF action (what Pacemaker runs), or `install` / `uninstall` /
 * `doctor` / `--help` / `--version` for people. Returns the exit status.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "--help" || command === "-h") {
    process.stdout.write(HELP);
    return CLI_EXIT.OK;
  }
  if (command === "--version" || command === "-V") {
    const { VERSION } = await import("./version.js");
    process.stdout.write(`ocivip ${VERSION}\n`);
    return CLI_EXIT.OK;
  }
  if (command === "install" || command === "uninstall" || command === "doctor") {
    const { runCommand } = await import("./commands.js");
    return runCommand(command, rest);
  }
  if (command?.startsWith("-")) {
    process.stderr.write(`ocivip: unknown option ${command}\n${HELP}`);
    return CLI_EXIT.USAGE;
  }
  return runOcfAction(argv);
}

async function runOcfAction(argv: readonly string[]): Promise<number> {
  const command = argv[0];
  // Each action is a new process that parses a handful of values once: compiling zod's fast
  // paths (new Function) costs more than it saves.
  zodConfig({ jitless: true });
  // A monitor's first step lists the host's addresses: start that `ip` now, so it runs while the
  // agent's modules load and its parameters are parsed.
  const ip = command === "monitor" ? process.env.OCF_RESKEY_secondary_private_ip?.trim() : "";
  const drop = ip ? listAddressesEarly(ip) : undefined;
  try {
    const [{ runAgent, isOcfTrue }, { ocivipAgent }] = await Promise.all([
      import("@ocfkit/ocf"),
      import("./agent.js"),
    ]);
    if (command === "warm") {
      const { standbyAgent } = await import("./standby.js");
      return await runAgent(standbyAgent, { argv });
    }
    const status = await runAgent(ocivipAgent, { argv });
    // Not running here (a probe, or a monitor of the Stopped role): keep this standby ready to
    // take the VIP over fast (see standby.ts). Never changes the answer.
    // Only in a process started for this very action (the launcher), never in a host program
    // that calls main() itself: the warm-up re-runs this process's script.
    const ownProcess = process.argv.length === 3 && process.argv[2] === command;
    const warmStandby = process.env.OCF_RESKEY_warm_standby;
    const enabled = warmStandby === undefined || warmStandby === "" || isOcfTrue(warmStandby);
    if (command === "monitor" && status === 7 && ownProcess && enabled) {
      const standby = await import("./standby.js");
      if (standby.standbyWarmUpDue()) standby.spawnStandbyWarmUp();
    }
    return status;
  } finally {
    drop?.();
  }
}
