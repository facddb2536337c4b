/** Stable codes of {@link IprouteError}; branch on these, never on message text. */
export type IprouteErrorCode =
  /** An IP address argument is not a valid IPv4/IPv6 address (checked before running anything). */
  | "INVALID_ADDRESS"
  /** A prefix length is not an integer in range for the family (checked before running anything). */
  | "INVALID_PREFIX"
  /** A label is too long, does not start with the device name, or is used with IPv6. */
  | "INVALID_LABEL"
  /** Another argument (device name, MAC, netns name, count, interval...) is not allowed. */
  | "INVALID_ARGUMENT"
  /** The named network device does not exist (in the namespace). */
  | "NO_SUCH_DEVICE"
  /** The kernel refused: not root / missing CAP_NET_ADMIN. */
  | "PERMISSION_DENIED"
  /** The address is already on the host with another prefix length or on another device. */
  | "ADDRESS_CONFLICT"
  /** The address is not configured where it was expected (e.g. {@link Iproute2.waitForDad}). */
  | "ADDRESS_NOT_FOUND"
  /** IPv6 duplicate address detection found another holder of the address. */
  | "DAD_FAILED"
  /** No interface has a connected subnet containing the address, or none has the MAC. */
  | "INTERFACE_NOT_FOUND"
  /** A command exited non-zero for a reason not covered by a more specific code. */
  | "COMMAND_FAILED"
  /** A command (or a wait) ran past its time limit and was killed. */
  | "TIMEOUT"
  /** The caller's AbortSignal fired. */
  | "ABORTED"
  /** The network namespace does not exist (no /run/netns/NAME). */
  | "NETNS_MISSING"
  /** The `ip` binary cannot be found or executed. */
  | "IP_NOT_INSTALLED"
  /** A helper tool (`arping`, `send_arp`, `send_ua`) is missing. */
  | "TOOL_NOT_INSTALLED"
  /** `ip -json` printed something that does not match the expected shape. */
  | "BAD_OUTPUT";

/** What ran, for errors about a command: argv, exit status (null when killed) and stderr. */
export interface CommandDetails {
  /** The full argv, program first. */
  readonly command: readonly string[];
  /** The exit status, or null when the process was killed by a signal. */
  readonly exitCode: number | null;
  /** What the command wrote on stderr, trimmed. */
  readonly stderr: string;
}

/**
 * The one error class of `@ocfkit/iproute2`: a stable `code`, a message saying what was expected and
 * what was found, and for command failures the command line, exit status and stderr.
 *
 * @example
 * ```ts
 * try { await ip.addAddress({ dev: "eth0", address: "192.0.2.100", prefixLength: 24 }); }
 * catch (err) { if (err instanceof IprouteError && err.code === "ADDRESS_CONFLICT") { ... } }
 * ```
 */
export class IprouteError extends Error {
  override readonly name = "IprouteError";
  /** Stable machine-readable code. */
  readonly code: IprouteErrorCode;
  /** The command that failed, when the error comes from running one. */
  readonly command: readonly string[] | undefined;
  /** Exit status of the failed command (null when killed by a signal). */
  readonly exitCode: number | null | undefined;
  /** Trimmed stderr of the failed command. */
  readonly stderr: string | undefined;

  constructor(
    code: IprouteErrorCode,
    message: string,
    options?: ErrorOptions & { details?: CommandDetails },
  ) {
    super(message, options);
    this.code = code;
    this.command = options?.details?.command;
    this.exitCode = options?.details?.exitCode;
    this.stderr = options?.details?.stderr;
  }
}

/** Quote an argv for messages, the way a shell user would type it. */
export function formatCommand(argv: readonly string[]): string {
  return argv
    .map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`))
    .join(" ");
}
