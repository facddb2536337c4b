import { runFenceAgent } from "@ocfkit/fence";
import { fenceOciAgent } from "./agent.js";

function option(args: readonly string[], name: string): string | undefined {
  const at = args.indexOf(name);
  if (at === -1) return undefined;
  const value = args[at + 1];
  if (value === undefined || value.startsWith("--"))
    throw new TypeError(`${name}: expected a value`);
  return value;
}

async function install(args: readonly string[]): Promise<number> {
  const { installFenceAgent } = await import("./install.js");
  const result = await installFenceAgent({ sbinDir: option(args, "--sbin-dir") });
  process.stdout.write(
    `installed ${result.path} (node ${result.nodePath}, agent ${result.entry})\n` +
      "check: stonith_admin --list-installed | grep fence_oci\n",
  );
  return 0;
}

/**
 * The `fence_oci` command: `install [--sbin-dir DIR]` for people, anything else is the fence
 * agent (options on the command line, or on stdin as the fencer passes them). Returns the exit status.
 */
export async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === "install") {
    try {
      return await install(argv.slice(1));
    } catch (error) {
      process.stderr.write(`fence_oci install: ${(error as Error).message}\n`);
      return 2;
    }
  }
  const controller = new AbortController();
  process.once("SIGTERM", () => controller.abort(new Error("terminated by SIGTERM")));
  return runFenceAgent(fenceOciAgent, { argv, signal: controller.signal });
}
