import { type ParseArgsConfig, parseArgs } from "node:util";
import { writeAuthkey } from "./authkey.js";
import type { ConfDocument } from "./cst.js";
import { formatDiagnostic } from "./diagnostics.js";
import { addNode, removeNode } from "./edit.js";
import { emit } from "./emit.js";
import { CorosyncError, type CorosyncErrorCode } from "./errors.js";
import { readLimited, replaceFile } from "./files.js";
import { formatDocument } from "./fmt.js";
import { generate } from "./generate.js";
import { migrate } from "./migrate.js";
import { parse } from "./parse.js";
import { validate } from "./validate.js";
import { VERSION } from "./version.js";

/** Where the CLI reads and writes; injectable so tests run it in-process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Reads a file, or standard input for "-"; fails with a `READ_FAILED` CorosyncError. */
  readInput: (path: string) => Promise<Uint8Array>;
  /** Replaces a file atomically (default: {@link replaceFile}). */
  writeOutput?: (path: string, text: string) => Promise<void>;
}

/** The exit codes of `ocfkit-corosync`, one table for every command (see the README). */
export const CLI_EXIT = {
  /** Done; `validate`: no errors (and with `--strict` no warnings). */
  OK: 0,
  /** The command could not do its job: a file unreadable or unwritable, an authkey that exists,
   * syntax errors in a file to edit, a node not found or already there. */
  FAILURE: 1,
  /** Usage error: unknown command or option, a missing or bad argument. Nothing was read or written. */
  USAGE: 2,
  /** `validate`: the file has errors. */
  INVALID: 3,
  /** `validate --strict`: the file has warnings (and no errors). */
  WARNINGS: 4,
  /** A bug in ocfkit-corosync (the message says so); please report it. */
  INTERNAL: 70,
} as const;

/** Which exit code each library error code means; everything else thrown is a bug (70). */
const EXIT_OF: Record<CorosyncErrorCode, number> = {
  INVALID_OPTIONS: CLI_EXIT.USAGE,
  INVALID_PATH: CLI_EXIT.USAGE,
  PARSE_FAILED: CLI_EXIT.FAILURE,
  NODE_NOT_FOUND: CLI_EXIT.FAILURE,
  NODE_EXISTS: CLI_EXIT.FAILURE,
  AUTHKEY_WRITE_FAILED: CLI_EXIT.FAILURE,
  READ_FAILED: CLI_EXIT.FAILURE,
  WRITE_FAILED: CLI_EXIT.FAILURE,
};

type Options = NonNullable<ParseArgsConfig["options"]>;
type Values = Record<string, string | boolean | string[] | undefined>;

interface Command {
  /** One line: the synopsis. */
  readonly synopsis: string;
  /** What `<command> --help` adds below the synopsis. */
  readonly help: string;
  readonly options: Options;
  /** How many positionals: [min, max]. */
  readonly positionals: readonly [number, number];
  run(values: Values, positionals: string[], io: CliIo): Promise<number>;
}

const write = { write: { type: "boolean" } } as const;

function usage(message: string): CorosyncError {
  return new CorosyncError("INVALID_OPTIONS", message);
}

function parseNodeSpec(spec: string): { name: string; addrs: string[] } {
  const eq = spec.indexOf("=");
  if (eq <= 0) throw usage(`--node: expected NAME=ADDR[,ADDR...], found "${spec}"`);
  return { name: spec.slice(0, eq), addrs: spec.slice(eq + 1).split(",") };
}

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value)) throw usage(`${name}: expected a whole number, found "${value}"`);
  return Number(value);
}

/** Reads and parses a file to transform; syntax errors are printed as file:line:column and fail. */
async function load(io: CliIo, file: string): Promise<ConfDocument> {
  const { document, diagnostics } = parse(await io.readInput(file));
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) {
    for (const d of errors.slice(0, 100)) io.stderr(`${formatDiagnostic(d, file)}\n`);
    if (errors.length > 100) io.stderr(`${file}: ${errors.length - 100} more error(s)\n`);
    throw new CorosyncError("PARSE_FAILED", `${file} has syntax errors; fix them first`);
  }
  return document;
}

async function output(io: CliIo, file: string, text: string, inPlace: unknown): Promise<void> {
  if (inPlace !== true || file === "-") return io.stdout(text);
  await (io.writeOutput ?? replaceFile)(file, text);
}

const COMMANDS: Record<string, Command> = {
  validate: {
    synopsis: "validate FILE [--strict]",
    help: "Prints diagnostics as file:line:column: severity: message [code].\nExit 0 valid, 3 errors, 4 warnings only (with --strict), 1 file unreadable, 2 usage.",
    options: { strict: { type: "boolean" } },
    positionals: [1, 1],
    async run(values, [file], io) {
      const result = validate(await io.readInput(file!));
      for (const d of result.diagnostics) io.stdout(`${formatDiagnostic(d, file)}\n`);
      io.stderr(`${file}: ${result.errors} error(s), ${result.warnings} warning(s)\n`);
      if (result.errors > 0) return CLI_EXIT.INVALID;
      return values.strict && result.warnings > 0 ? CLI_EXIT.WARNINGS : CLI_EXIT.OK;
    },
  },
  fmt: {
    synopsis: "fmt FILE [--write] [--indent tab|2|4]",
    help: "Prints the canonical layout, or with --write replaces FILE atomically (same mode and owner).",
    options: { ...write, indent: { type: "string" } },
    positionals: [1, 1],
    async run(values, [file], io) {
      const indentName = (values.indent as string | undefined) ?? "tab";
      const indent = ({ tab: "\t", "2": "  ", "4": "    " } as Record<string, string>)[indentName];
      if (indent === undefined)
        throw usage(`--indent: expected tab, 2 or 4, found "${indentName}"`);
      const document = await load(io, file!);
      await output(io, file!, formatDocument(document, { indent }), values.write);
      return CLI_EXIT.OK;
    },
  },
  generate: {
    synopsis:
      "generate --name NAME --node NAME=ADDR[,ADDR...] ... [--token MS] [--keyfile PATH] [--no-crypto] [--comments]",
    help: "Prints a corosync 3 config (knet, crypto, votequorum) for the nodes given.",
    options: {
      name: { type: "string" },
      node: { type: "string", multiple: true },
      token: { type: "string" },
      keyfile: { type: "string" },
      "no-crypto": { type: "boolean" },
      comments: { type: "boolean" },
    },
    positionals: [0, 0],
    async run(values, _positionals, io) {
      if (!values.name) throw usage("--name is required");
      const token = integer("--token", values.token as string | undefined);
      io.stdout(
        generate({
          clusterName: values.name as string,
          nodes: ((values.node as string[] | undefined) ?? []).map(parseNodeSpec),
          ...(token === undefined ? {} : { token }),
          ...(values.keyfile ? { keyfile: values.keyfile as string } : {}),
          ...(values["no-crypto"] ? { crypto: false } : {}),
          ...(values.comments ? { comments: true } : {}),
        }),
      );
      return CLI_EXIT.OK;
    },
  },
  migrate: {
    synopsis: "migrate FILE [--host NAME=IP ...]",
    help: "Prints the corosync 3 config on stdout, what changed and why on stderr.",
    options: { host: { type: "string", multiple: true } },
    positionals: [1, 1],
    async run(values, [file], io) {
      const hosts = Object.fromEntries(
        ((values.host as string[] | undefined) ?? []).map((h) => {
          const [name, addr] = h.split("=", 2);
          if (!name || !addr) throw usage(`--host: expected NAME=IP, found "${h}"`);
          return [name, addr];
        }),
      );
      const document = await load(io, file!);
      const result = migrate(emit(document), { hosts });
      io.stdout(result.text);
      for (const change of result.changes) io.stderr(`migrate: ${change}\n`);
      for (const d of result.diagnostics) io.stderr(`${formatDiagnostic(d, file)}\n`);
      return CLI_EXIT.OK;
    },
  },
  "add-node": {
    synopsis: "add-node FILE --node NAME=ADDR[,ADDR...] [--nodeid N] [--write]",
    help: "Adds a node (keeping two_node right); prints the result or, with --write, replaces FILE.",
    options: { ...write, node: { type: "string", multiple: true }, nodeid: { type: "string" } },
    positionals: [1, 1],
    async run(values, [file], io) {
      const specs = (values.node as string[] | undefined) ?? [];
      if (specs.length !== 1) throw usage("exactly one --node NAME=ADDR is required");
      const nodeid = integer("--nodeid", values.nodeid as string | undefined);
      const node = { ...parseNodeSpec(specs[0]!), ...(nodeid === undefined ? {} : { nodeid }) };
      const document = await load(io, file!);
      await output(io, file!, emit(addNode(document, node)), values.write);
      return CLI_EXIT.OK;
    },
  },
  "remove-node": {
    synopsis: "remove-node FILE NAME|NODEID [--write]",
    help: "Removes a node (keeping two_node right); prints the result or, with --write, replaces FILE.",
    options: { ...write },
    positionals: [2, 2],
    async run(values, [file, target], io) {
      const document = await load(io, file!);
      await output(io, file!, emit(removeNode(document, target!)), values.write);
      return CLI_EXIT.OK;
    },
  },
  keygen: {
    synopsis: "keygen [-k FILE] [--size BYTES] [--force]",
    help: "Writes a random authkey with mode 0400 (default /etc/corosync/authkey). --force replaces\nan existing key with a new file renamed over it (never rewriting the old one in place).",
    options: {
      k: { type: "string", short: "k" },
      size: { type: "string" },
      force: { type: "boolean" },
    },
    positionals: [0, 0],
    async run(values, _positionals, io) {
      const path = (values.k as string | undefined) ?? "/etc/corosync/authkey";
      const size = integer("--size", values.size as string | undefined);
      await writeAuthkey(path, {
        overwrite: values.force === true,
        ...(size === undefined ? {} : { size }),
      });
      io.stderr(`wrote ${path} (mode 0400); copy it to every node\n`);
      return CLI_EXIT.OK;
    },
  },
};

const USAGE = `usage: ocfkit-corosync <command> [options]
${Object.values(COMMANDS)
  .map((c) => `  ${c.synopsis}`)
  .join("\n")}
  <command> --help     a command's options
  --version            the version
FILE may be "-" for standard input.
exit codes: 0 done, 1 failed (a file unreadable or unwritable, syntax errors in a file to edit,
an authkey that exists, a node not found or taken), 2 usage error (nothing done),
3 validate found errors, 4 validate --strict found warnings only, 70 internal error (a bug)`;

function commandHelp(_name: string, command: Command): string {
  return `usage: ocfkit-corosync ${command.synopsis}\n${command.help}\n  -h, --help   this text\n`;
}

async function runCommand(name: string, args: string[], io: CliIo): Promise<number> {
  const command = COMMANDS[name]!;
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      options: { ...command.options, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw usage((error as Error).message);
  }
  const values = parsed.values as Values;
  if (values.help) {
    io.stdout(commandHelp(name, command));
    return CLI_EXIT.OK;
  }
  const [min, max] = command.positionals;
  const count = parsed.positionals.length;
  if (count < min) throw usage(`missing ${min === 1 ? "FILE" : "arguments"}`);
  if (count > max) throw usage(`unexpected argument "${parsed.positionals[max]}"`);
  return command.run(values, parsed.positionals, io);
}

/**
 * Runs the `ocfkit-corosync` command line and returns its exit status ({@link CLI_EXIT}: 0 done,
 * 1 failed, 2 usage, 3 errors found, 4 warnings with --strict, 70 a bug); never throws.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name = "", ...args] = argv;
  if (name === "--help" || name === "-h" || (name === "help" && args.length === 0)) {
    io.stdout(`${USAGE}\n`);
    return CLI_EXIT.OK;
  }
  if (name === "--version" || name === "-V") {
    io.stdout(`ocfkit-corosync ${VERSION}\n`);
    return CLI_EXIT.OK;
  }
  if (name === "help" && Object.hasOwn(COMMANDS, args[0]!)) {
    io.stdout(commandHelp(args[0]!, COMMANDS[args[0]!]!));
    return CLI_EXIT.OK;
  }
  if (!Object.hasOwn(COMMANDS, name)) {
    io.stderr(
      `ocfkit-corosync: ${name === "" ? "missing command" : `unknown command "${name}"`}\n${USAGE}\n`,
    );
    return CLI_EXIT.USAGE;
  }
  try {
    return await runCommand(name, args, io);
  } catch (error) {
    if (error instanceof CorosyncError) {
      const exit = EXIT_OF[error.code] ?? CLI_EXIT.INTERNAL;
      const hint =
        exit === CLI_EXIT.USAGE
          ? `\nusage: ocfkit-corosync ${COMMANDS[name]!.synopsis}\n(ocfkit-corosync ${name} --help)`
          : "";
      io.stderr(`ocfkit-corosync ${name}: ${error.code}: ${error.message}${hint}\n`);
      return exit;
    }
    const e = error as Error;
    io.stderr(
      `ocfkit-corosync ${name}: internal error (a bug, please report it): ${e?.stack ?? String(error)}\n`,
    );
    return CLI_EXIT.INTERNAL;
  }
}

/** The real process's standard streams and file system. */
export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readInput: (path) =>
      path === "-" ? readLimited(process.stdin, "standard input") : readLimited(path, path),
    writeOutput: replaceFile,
  };
}
