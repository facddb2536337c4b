import { config as zodConfig } from "zod/v4/core";
import { listAddressesEarly } from "./local-net.js";

const HELP = `usage: ocivip <OCF action>            run as an OCF agent (start, stop, monitor, validate-all, meta-data, reload-agent)
       ocivip install [--provider NAME] [--ocf-root DIR]   install the agent for Pacemaker (default ocf:ocfkit:ocivip)
       ocivip doctor [--secondary-private-ip IP] [options]  check this node's prerequisites in plain words
`;

function option(args: readonly string[], name: string): string | undefined {
  const at = args.indexOf(name);
  if (at === -1) return undefined;
  const value = args[at + 1];
  if (value === undefined || value.startsWith("--"))
    throw new TypeError(`${name}: expected a value`);
  return value;
}

async function install(args: readonly string[]): Promise<number> {
  const { installAgent } = await import("./install.js");
  const provider = option(args, "--provider");
  const ocfRoot = option(args, "--ocf-root");
  const result = await installAgent({
    ...(provider === undefined ? {} : { provider }),
    ...(ocfRoot === undefined ? {} : { ocfRoot }),
  });
  process.stdout.write(
    `installed ${result.path} (node ${result.nodePath}, agent ${result.entry})\n` +
      `check: crm_resource --list-agents ocf:${provider ?? "ocfkit"}\n`,
  );
  return 0;
}

/**
 * The `ocivip` command: an OCF action (what Pacemaker runs), or `install` / `doctor` for people.
 * Returns the exit status.
 */
export async function main(argv: readonly string[]): Promise<number> {
  // Each action is a new process that parses a handful of values once: compiling zod's fast
  // paths (new Function) costs more than it saves.
  zodConfig({ jitless: true });
  const [command, ...rest] = argv;
  try {
    if (command === "install") return await install(rest);
    if (command === "doctor") {
      const { runDoctorCli } = await import("./doctor-cli.js");
      return await runDoctorCli(rest);
    }
    if (command === "--help" || command === "-h") {
      process.stdout.write(HELP);
      return 0;
    }
  } catch (error) {
    process.stderr.write(`ocivip ${command}: ${(error as Error).message}\n`);
    return 2;
  }
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
