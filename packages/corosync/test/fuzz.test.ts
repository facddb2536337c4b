import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_EXIT, type CliIo, runCli } from "../src/cli-main.js";
import { buildCli, removeCliBuild, runCliProcess } from "./helpers/cli-build.js";

// Seeded mutations of the real fixtures through the CLI: its main function in-process for
// thousands, the built bin as a process for a few hundred. No crash (exit 70, a throw, a stack),
// no hang, and every failure one of the documented exit codes with a message in the documented
// form. Change SEED to explore; a failure prints the seed and case number to replay it.

const SEED = Number(process.env.OCFKIT_FUZZ_SEED ?? 20_261_205);
const IN_PROCESS_CASES = 10_000;
const PROCESS_CASES = 150;
const DOCUMENTED = new Set<number>([0, 1, 2, 3, 4]);

const fixtureDir = new URL("./fixtures/", import.meta.url);
const fixtures = [
  ...readdirSync(fixtureDir).filter((n) => n.endsWith(".conf")),
  ...readdirSync(new URL("invalid/", fixtureDir))
    .filter((n) => n.endsWith(".conf"))
    .map((n) => `invalid/${n}`),
].map((name) => ({ name, bytes: readFileSync(new URL(name, fixtureDir)) }));

/** mulberry32: a small seeded PRNG, so every run (and a failure) is reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const TOKENS = [
  "{",
  "}",
  ":",
  "#",
  "\r",
  "\n",
  "\t",
  " ",
  "\uFEFF",
  "\0",
  "totem",
  "nodelist",
  "node",
  "quorum",
  "interface",
  "ring0_addr: 192.0.2.1",
  "nodeid: 99999999999999999999",
  "nodeid: -1",
  "two_node: 1",
  "transport: udpu",
  "crypto_cipher: aes256",
  "token: 1e400",
  "linknumber: 8",
  "name: node1",
  "ring0_addr: 2001:db8::1",
  "ring0_addr: fe80::1%eth0",
  "ip_version: ipv6",
  "a".repeat(300),
];

/** One mutation of `input`, chosen by `random`; the list covers lines, bytes and structure. */
function mutate(input: Buffer, random: () => number): Buffer {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const lines = input.toString("latin1").split("\n");
  const at = () => Math.floor(random() * (lines.length + 1));
  switch (Math.floor(random() * 12)) {
    case 0:
      lines.splice(at(), 1);
      break;
    case 1: {
      const i = at();
      lines.splice(i, 0, lines[i] ?? "");
      break;
    }
    case 2: {
      const i = at();
      const j = at();
      [lines[i], lines[j]] = [lines[j] ?? "", lines[i] ?? ""];
      break;
    }
    case 3: {
      const i = Math.min(at(), lines.length - 1);
      const line = lines[i] ?? "";
      const p = Math.floor(random() * (line.length + 1));
      lines[i] = line.slice(0, p) + pick(TOKENS) + line.slice(p);
      break;
    }
    case 4:
      lines.splice(at(), 0, pick(TOKENS));
      break;
    case 5: {
      // Nesting, maybe past the limit, maybe unclosed.
      const depth =
        random() < 0.05 ? 2_000 + Math.floor(random() * 3_000) : 1 + Math.floor(random() * 40);
      const closed = random() < 0.7 ? depth : Math.floor(random() * depth);
      const block = [...Array<string>(depth).fill("x {"), ...Array<string>(closed).fill("}")];
      lines.splice(at(), 0, ...block);
      break;
    }
    case 6: {
      const bytes = Buffer.from(lines.join("\n"), "latin1");
      for (let n = 1 + Math.floor(random() * 4); n > 0 && bytes.length > 0; n--)
        bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      return bytes;
    }
    case 7:
      return Buffer.from(lines.join("\n"), "latin1").subarray(
        0,
        Math.floor(random() * input.length),
      );
    case 8: {
      const i = Math.min(at(), lines.length - 1);
      lines[i] = (lines[i] ?? "").replace(/:.*/, `: ${pick(TOKENS)}`);
      break;
    }
    case 9: {
      // Copy a random block of lines elsewhere (duplicate sections, nodes, keys).
      const i = at();
      const block = lines.slice(i, i + 1 + Math.floor(random() * 8));
      lines.splice(at(), 0, ...block);
      break;
    }
    case 10:
      return Buffer.from(lines.join(random() < 0.5 ? "\r\n" : "\n\n"), "latin1");
    default: {
      const i = Math.min(at(), lines.length - 1);
      lines[i] = (lines[i] ?? "").replace(/[{}:]/, "");
    }
  }
  return Buffer.from(lines.join("\n"), "latin1");
}

/** A mutant of a random fixture, 1 to 4 mutations deep. */
function mutant(random: () => number): { from: string; bytes: Buffer } {
  const base = fixtures[Math.floor(random() * fixtures.length)]!;
  let bytes: Buffer = base.bytes;
  for (let n = 1 + Math.floor(random() * 4); n > 0; n--) bytes = mutate(bytes, random);
  return { from: base.name, bytes };
}

const COMMANDS: ((file: string) => string[])[] = [
  (f) => ["validate", f],
  (f) => ["validate", "--strict", f],
  (f) => ["fmt", f],
  (f) => ["fmt", f, "--write"],
  (f) => ["migrate", f, "--host", "node1=192.0.2.11"],
  (f) => ["add-node", f, "--node", "node9=192.0.2.19"],
  (f) => ["remove-node", f, "node1"],
];

/** What a run may print on stderr: our own lines only, never a stack trace. */
function checkRun(status: number | null, stderr: string, label: string): void {
  expect(DOCUMENTED.has(status ?? -1), `${label}: exit ${status}\n${stderr}`).toBe(true);
  expect(stderr, label).not.toMatch(/internal error|\n\s+at |RangeError|TypeError|ENOENT: ENOENT/);
  if (status !== 0 && status !== CLI_EXIT.INVALID && status !== CLI_EXIT.WARNINGS) {
    expect(stderr, label).toMatch(/^ocfkit-corosync [a-z-]+: [A-Z_]+: |:\d+:\d+: error: /m);
  }
}

function withTimeout<T>(work: Promise<T>, ms: number, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`hang: ${label} took over ${ms} ms`)), ms);
    }),
  ]);
}

describe("fuzzing ocfkit-corosync with seeded mutations of real corosync.conf files", () => {
  it(`${IN_PROCESS_CASES} mutants through the CLI's main function: no crash, no hang, documented codes`, async () => {
    const random = prng(SEED);
    const seen = new Map<number, number>();
    for (let n = 0; n < IN_PROCESS_CASES; n++) {
      const { from, bytes } = mutant(random);
      const args = COMMANDS[n % COMMANDS.length]!("corosync.conf");
      const label = `seed ${SEED} case ${n} (${from}): ${args.join(" ")}`;
      let stderr = "";
      let stdout = "";
      let written: string | undefined;
      const io: CliIo = {
        stdout: (t) => {
          stdout += t;
        },
        stderr: (t) => {
          stderr += t;
        },
        readInput: async () => bytes,
        writeOutput: async (_path, text) => {
          written = text;
        },
      };
      const status = await withTimeout(runCli(args, io), 10_000, label);
      checkRun(status, stderr, label);
      seen.set(status, (seen.get(status) ?? 0) + 1);
      // fmt is idempotent on what it accepts.
      if (args[0] === "fmt" && status === 0) {
        const text = written ?? stdout;
        let again = "";
        const reformatted = await runCli(["fmt", "again.conf"], {
          stdout: (t) => {
            again += t;
          },
          stderr: () => undefined,
          readInput: async () => Buffer.from(text),
        });
        expect(reformatted, label).toBe(0);
        expect(again, label).toBe(text);
      }
    }
    // The mutations reach every outcome, not just one.
    for (const code of [0, 1, 3, 4]) expect(seen.get(code) ?? 0, `exit ${code}`).toBeGreaterThan(0);
  }, 300_000);

  describe("through the real process", () => {
    let cli: string;
    let dir: string;
    beforeAll(async () => {
      cli = await buildCli();
      dir = mkdtempSync(join(tmpdir(), "ocfk-cs-fuzz-"));
    }, 120_000);
    afterAll(() => {
      rmSync(dir, { recursive: true, force: true });
      removeCliBuild();
    });

    it(`${PROCESS_CASES} mutants: no crash, no hang, documented codes`, async () => {
      const random = prng(SEED + 1);
      const cases = Array.from({ length: PROCESS_CASES }, (_, n) => ({ n, ...mutant(random) }));
      let next = 0;
      const worker = async () => {
        for (let item = cases[next++]; item !== undefined; item = cases[next++]) {
          const file = join(dir, `case-${item.n}.conf`);
          writeFileSync(file, item.bytes);
          const args = COMMANDS[item.n % COMMANDS.length]!(file);
          const label = `seed ${SEED + 1} process case ${item.n} (${item.from}): ${args.join(" ")}`;
          const res = await runCliProcess(cli, args, { timeoutMs: 20_000 });
          expect(res.signal, `${label}: hang or crash`).toBeNull();
          checkRun(res.status, res.stderr, label);
          rmSync(file, { force: true });
        }
      };
      await Promise.all([worker(), worker(), worker()]);
      // --write left no temporary file behind.
      expect(readdirSync(dir)).toEqual([]);
    }, 600_000);
  });
});
