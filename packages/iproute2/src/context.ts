import { constants, promises as fs } from "node:fs";
import { formatCommand, IprouteError, type IprouteErrorCode } from "./errors.js";
import { type CallOptions, type CommandResult, runCommand, spawnDetached } from "./exec.js";
import { locateIp } from "./ip-binary.js";
import { checkPositiveInteger } from "./validate.js";

/** Paths of the helper programs {@link Iproute2.announce} may run. */
export interface ToolPaths {
  /** iputils `arping` (default: `arping` on PATH). */
  arping?: string;
  /** resource-agents `send_arp` (default: `/usr/libexec/heartbeat/send_arp`). */
  sendArp?: string;
  /** resource-agents `send_ua` (default: `/usr/libexec/heartbeat/send_ua`). */
  sendUa?: string;
}

/** What every operation needs: how to run `ip` (and helpers) in the right namespace. */
export interface IpContext {
  /** Namespace name, or undefined for the caller's own namespace. */
  readonly netns: string | undefined;
  /** Default per-command time limit in milliseconds. */
  readonly timeoutMs: number;
  /** Resolved helper paths. */
  readonly tools: Required<ToolPaths>;
  /** Runs `ip [-n NS] args...`; resolves with the result whatever the exit status. */
  ip(
    args: readonly string[],
    call?: CallOptions,
    input?: string,
  ): Promise<CommandResult & { argv: string[] }>;
  /** Runs a helper program, inside the namespace through `ip netns exec` when one is set. */
  tool(
    file: string,
    args: readonly string[],
    call: CallOptions & { timeoutMs: number },
  ): Promise<CommandResult & { argv: string[] }>;
  /**
   * Starts a helper program detached (inside the namespace through `ip netns exec` when one is
   * set) and returns once it runs, without waiting for it; `file` must be executable.
   */
  detach(file: string, args: readonly string[]): Promise<{ argv: string[]; pid: number }>;
}

const heartbeatDir = "/usr/libexec/heartbeat";

/** Builds the context for one `createIproute2` instance; resolves `ip` lazily, on first use. */
export function createContext(options: {
  netns: string | undefined;
  ipPath: string | undefined;
  timeoutMs: number;
  tools: ToolPaths | undefined;
}): IpContext {
  let ipPath = options.ipPath;
  const resolveIp = (): string => {
    ipPath ??= locateIp();
    return ipPath;
  };
  const nsArgs = options.netns === undefined ? [] : ["-n", options.netns];
  const run = async (
    file: string,
    args: string[],
    call: CallOptions | undefined,
    code: IprouteErrorCode,
    input?: string,
  ) => {
    const timeoutMs =
      call?.timeoutMs === undefined
        ? options.timeoutMs
        : checkPositiveInteger(call.timeoutMs, "timeoutMs");
    const result = await runCommand(file, args, {
      timeoutMs,
      signal: call?.signal,
      notInstalledCode: code,
      input,
    });
    return { ...result, argv: [file, ...args] };
  };
  return {
    netns: options.netns,
    timeoutMs: options.timeoutMs,
    tools: {
      arping: options.tools?.arping ?? "arping",
      sendArp: options.tools?.sendArp ?? `${heartbeatDir}/send_arp`,
      sendUa: options.tools?.sendUa ?? `${heartbeatDir}/send_ua`,
    },
    ip: (args, call, input) =>
      run(resolveIp(), [...nsArgs, ...args], call, "IP_NOT_INSTALLED", input),
    async tool(file, args, call) {
      if (options.netns === undefined) return run(file, [...args], call, "TOOL_NOT_INSTALLED");
      const result = await run(
        resolveIp(),
        ["netns", "exec", options.netns, file, ...args],
        call,
        "IP_NOT_INSTALLED",
      );
      // `ip netns exec` execs the program itself: a missing one shows up as its stderr.
      if (result.exitCode !== 0 && /^exec of ".*" failed: No such file/m.test(result.stderr)) {
        throw new IprouteError(
          "TOOL_NOT_INSTALLED",
          `cannot run ${file}: not found (is it installed?)`,
          {
            details: { command: result.argv, exitCode: result.exitCode, stderr: result.stderr },
          },
        );
      }
      return result;
    },
    async detach(file, args) {
      // Checked first: inside a namespace, `ip netns exec` would start and only then fail.
      if (!(await findExecutable(file))) {
        throw new IprouteError(
          "TOOL_NOT_INSTALLED",
          `cannot run ${file}: not found (is it installed and executable?)`,
        );
      }
      const argv =
        options.netns === undefined
          ? [file, ...args]
          : [resolveIp(), "netns", "exec", options.netns, file, ...args];
      const code = options.netns === undefined ? "TOOL_NOT_INSTALLED" : "IP_NOT_INSTALLED";
      const { pid } = await spawnDetached(argv[0]!, argv.slice(1), code);
      return { argv, pid };
    },
  };
}

/**
 * `file` itself when it has a slash, else the first executable of that name on PATH; undefined
 * when there is none. (fs.promises on use: loading node:fs/promises costs a short-lived process
 * ~1 ms.)
 */
export async function findExecutable(file: string): Promise<string | undefined> {
  const candidates = file.includes("/")
    ? [file]
    : (process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin")
        .split(":")
        .filter(Boolean)
        .map((dir) => `${dir}/${file}`);
  for (const candidate of candidates) {
    try {
      await fs.access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // next
    }
  }
  return undefined;
}

/**
 * Turns a failed command into the most specific {@link IprouteError}: missing namespace, missing
 * device, permission denied, or `COMMAND_FAILED` with the command line, exit status and stderr.
 */
export function commandError(
  result: CommandResult & { argv: readonly string[] },
  what: string,
): IprouteError {
  const { stderr, exitCode, argv } = result;
  const details = { command: argv, exitCode, stderr };
  const tail = `${formatCommand(argv)} exited with status ${exitCode}: ${stderr || "(no stderr)"}`;
  if (
    /Cannot open network namespace|setting the network namespace .* failed: No such file/.test(
      stderr,
    )
  ) {
    return new IprouteError(
      "NETNS_MISSING",
      `${what}: the network namespace does not exist (${tail})`,
      { details },
    );
  }
  if (/Operation not permitted/.test(stderr)) {
    return new IprouteError(
      "PERMISSION_DENIED",
      `${what}: permission denied, run as root or with CAP_NET_ADMIN (${tail})`,
      {
        details,
      },
    );
  }
  if (/Cannot find device|Device ".*" does not exist|No such device/.test(stderr)) {
    return new IprouteError("NO_SUCH_DEVICE", `${what}: no such network device (${tail})`, {
      details,
    });
  }
  return new IprouteError("COMMAND_FAILED", `${what}: ${tail}`, { details });
}

/** Runs `ip -json ...` and returns stdout, throwing the classified error on a non-zero exit. */
export async function ipJson(
  ctx: IpContext,
  args: readonly string[],
  what: string,
  call?: CallOptions,
): Promise<string> {
  const result = await ctx.ip(["-json", ...args], call);
  if (result.exitCode !== 0) throw commandError(result, what);
  return result.stdout;
}
