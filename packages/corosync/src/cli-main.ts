import { readFile, rename, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { writeAuthkey } from "./authkey.js";
import type { ConfDocument } from "./cst.js";
import { formatDiagnostic } from "./diagnostics.js";
import { addNode, removeNode } from "./edit.js";
import { emit } from "./emit.js";
import { CorosyncError } from "./errors.js";
import { formatDocument } from "./fmt.js";
import { generate } from "./generate.js";
import { migrate } from "./migrate.js";
import { parse } from "./parse.js";
import { validate } from "./validate.js";

/** Where the CLI reads and writes; injectable so tests run it in-process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Reads a file, or standard input for "-". */
  readInput: (path: string) => Promise<Uint8Array>;
}

const USAGE = `usage: ocfkit-corosync <command> [options]
  validate FILE [--strict]                 diagnostics; exit 0 valid, 1 warnings (--strict), 2 errors
  fmt FILE [--write] [--indent=tab|2|4]    canonical layout to stdout (or in place)
  generate --name NAME --node NAME=ADDR[,ADDR...] ... [--token MS] [--keyfile PATH] [--no-crypto] [--comments]
  migrate FILE [--host NAME=IP ...]        corosync 3 config to stdout, explanations to stderr
  add-node FILE --node NAME=ADDR[,ADDR...] [--nodeid N] [--write]
  remove-node FILE NAME|NODEID [--write]
  keygen [-k FILE] [--size BYTES] [--force]   random authkey, mode 0400 (default /etc/corosync/authkey)
FILE may be "-" for standard input.`;

function usage(message: string): CorosyncError {
  return new CorosyncError("INVALID_OPTIONS", `${message}\n${USAGE}`);
}

function parseNodeSpec(spec: string): { name: string; addrs: string[] } {
  const eq = spec.indexOf("=");
  if (eq <= 0) throw usage(`--node: expected NAME=ADDR[,ADDR...], found "${spec}"`);
  return { name: spec.slice(0, eq), addrs: spec.slice(eq + 1).split(",") };
}

async function load(
  io: CliIo,
  file: string | undefined,
): Promise<{ text: string; document: ConfDocument }> {
  if (file === undefined) throw usage("missing FILE");
  const bytes = await io.readInput(file);
  const { document, diagnostics } = parse(bytes);
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) {
    for (const d of errors) io.stderr(`${formatDiagnostic(d, file)}\n`);
    throw new CorosyncError("PARSE_FAILED", `${file} has syntax errors; fix them first`);
  }
  return { text: emit(document), document };
}

async function output(
  io: CliIo,
  file: string,
  text: string,
  write: boolean | undefined,
): Promise<void> {
  if (!write || file === "-") return io.stdout(text);
  // Write beside the target and rename: a crash never leaves a half-written corosync.conf.
  const tmp = `${file}.ocfkit-tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

async function command(name: string, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      strict: { type: "boolean" },
      write: { type: "boolean" },
      indent: { type: "string" },
      name: { type: "string" },
      node: { type: "string", multiple: true },
      nodeid: { type: "string" },
      token: { type: "string" },
      keyfile: { type: "string" },
      "no-crypto": { type: "boolean" },
      comments: { type: "boolean" },
      host: { type: "string", multiple: true },
      k: { type: "string", short: "k" },
      size: { type: "string" },
      force: { type: "boolean" },
    },
  });
  const file = positionals[0];
  switch (name) {
    case "validate": {
      if (file === undefined) throw usage("missing FILE");
      const result = validate(await io.readInput(file));
      for (const d of result.diagnostics) io.stdout(`${formatDiagnostic(d, file)}\n`);
      io.stderr(`${file}: ${result.errors} error(s), ${result.warnings} warning(s)\n`);
      return result.errors > 0 ? 2 : values.strict && result.warnings > 0 ? 1 : 0;
    }
    case "fmt": {
      const { document } = await load(io, file);
      const indent = { tab: "\t", "2": "  ", "4": "    " }[values.indent ?? "tab"];
      if (indent === undefined)
        throw usage(`--indent: expected tab, 2 or 4, found "${values.indent}"`);
      await output(io, file!, formatDocument(document, { indent }), values.write);
      return 0;
    }
    case "generate": {
      if (!values.name) throw usage("generate: --name is required");
      const token = values.token === undefined ? undefined : Number(values.token);
      io.stdout(
        generate({
          clusterName: values.name,
          nodes: (values.node ?? []).map(parseNodeSpec),
          ...(token === undefined ? {} : { token }),
          ...(values.keyfile ? { keyfile: values.keyfile } : {}),
          ...(values["no-crypto"] ? { crypto: false } : {}),
          ...(values.comments ? { comments: true } : {}),
        }),
      );
      return 0;
    }
    case "migrate": {
      const { text } = await load(io, file);
      const hosts = Object.fromEntries(
        (values.host ?? []).map((h) => {
          const [name, addr] = h.split("=", 2);
          if (!name || !addr) throw usage(`--host: expected NAME=IP, found "${h}"`);
          return [name, addr];
        }),
      );
      const result = migrate(text, { hosts });
      io.stdout(result.text);
      for (const change of result.changes) io.stderr(`migrate: ${change}\n`);
      for (const d of result.diagnostics) io.stderr(`${formatDiagnostic(d, file)}\n`);
      return 0;
    }
    case "add-node": {
      const { document } = await load(io, file);
      const specs = values.node ?? [];
      if (specs.length !== 1) throw usage("add-node: exactly one --node NAME=ADDR is required");
      const nodeid = values.nodeid === undefined ? undefined : Number(values.nodeid);
      const node = { ...parseNodeSpec(specs[0]!), ...(nodeid === undefined ? {} : { nodeid }) };
      await output(io, file!, emit(addNode(document, node)), values.write);
      return 0;
    }
    case "remove-node": {
      const { document } = await load(io, file);
      const target = positionals[1];
      if (target === undefined) throw usage("remove-node: missing NAME or NODEID");
      await output(io, file!, emit(removeNode(document, target)), values.write);
      return 0;
    }
    case "keygen": {
      const path = values.k ?? "/etc/corosync/authkey";
      const size = values.size === undefined ? undefined : Number(values.size);
      await writeAuthkey(path, {
        overwrite: values.force ?? false,
        ...(size === undefined ? {} : { size }),
      });
      io.stderr(`wrote ${path} (mode 0400); copy it to every node\n`);
      return 0;
    }
    default:
      throw usage(name === "" ? "missing command" : `unknown command "${name}"`);
  }
}

/**
 * Runs the `ocfkit-corosync` command line and returns its exit status (0 ok, 1 warnings with
 * --strict, 2 errors or bad usage); never throws.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name = "", ...args] = argv;
  if (name === "--help" || name === "-h" || name === "help") {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  try {
    return await command(name, args, io);
  } catch (error) {
    const e = error as Error & { code?: string };
    io.stderr(`ocfkit-corosync: ${e.code ? `${e.code}: ` : ""}${e.message}\n`);
    return 2;
  }
}

/** The real process's standard streams and file system. */
export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readInput: async (path) => {
      if (path !== "-") return readFile(path);
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
  };
}
