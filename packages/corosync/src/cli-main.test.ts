import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliIo, runCli } from "./cli-main.js";
import { parse } from "./parse.js";
import { validate } from "./validate.js";

const tutorialPath = fileURLToPath(new URL("../test/fixtures/tutorial.conf", import.meta.url));
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "ocfk-cs-cli-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function cli(...argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    readInput: (path) => readFile(path),
  };
  const status = await runCli(argv, io);
  return { status, stdout, stderr };
}

const generateArgs = [
  "generate",
  "--name",
  "ha",
  "--node",
  "node1=192.0.2.11",
  "--node",
  "node2=192.0.2.12",
];

describe("ocfkit-corosync", () => {
  it("generate prints a config that validates clean", async () => {
    const { status, stdout } = await cli(...generateArgs);
    expect(status).toBe(0);
    expect(validate(stdout).diagnostics).toEqual([]);
    expect(stdout).toMatch(/crypto_cipher: aes256/);
  });

  it("generate names the bad option", async () => {
    const { status, stderr } = await cli("generate", "--name", "ha", "--node", "node1=not-an-ip");
    expect(status).toBe(2);
    expect(stderr).toMatch(/INVALID_OPTIONS: nodes\.0\.addrs\.0: expected an IPv4 or IPv6 address/);
  });

  it("validate: 0 with warnings, 4 with --strict, 3 with errors; compiler-style lines", async () => {
    const plain = await cli("validate", tutorialPath);
    expect(plain.status).toBe(0);
    expect(plain.stdout).toMatch(/tutorial\.conf:15:21: warning: transport udpu is legacy/);
    expect((await cli("validate", "--strict", tutorialPath)).status).toBe(4);
    const bad = join(dir, "bad.conf");
    await writeFile(bad, "totem {\n\tversion: 2\n\ttokne: 10\n");
    const broken = await cli("validate", bad);
    expect(broken.status).toBe(3);
    expect(broken.stdout).toContain(`${bad}:1:1: error: section "totem" is never closed`);
    expect(broken.stdout).toContain(
      `${bad}:3:2: warning: unknown key "tokne" in totem; did you mean "token"?`,
    );
  });

  it("migrate prints the config on stdout and explanations on stderr", async () => {
    const { status, stdout, stderr } = await cli(
      "migrate",
      tutorialPath,
      "--host",
      "node1=192.0.2.11",
    );
    expect(status).toBe(0);
    expect(stdout).toMatch(/transport: knet/);
    expect(stdout).toMatch(/ring0_addr: 192\.0\.2\.11/);
    expect(stderr).toMatch(/migrate: transport udpu became knet/);
  });

  it("fmt, add-node and remove-node edit in place with --write", async () => {
    const file = join(dir, "edit.conf");
    await writeFile(file, (await cli(...generateArgs)).stdout);
    expect((await cli("add-node", file, "--node", "node3=192.0.2.13", "--write")).status).toBe(0);
    const three = await readFile(file, "utf8");
    expect(three).toMatch(/name: node3\n {8}nodeid: 3\n {8}ring0_addr: 192\.0\.2\.13/);
    expect(three).not.toMatch(/two_node/);
    expect((await cli("remove-node", file, "node3", "--write")).status).toBe(0);
    expect(await readFile(file, "utf8")).toMatch(/two_node: 1/);
    const formatted = await cli("fmt", file);
    expect(formatted.stdout).toMatch(/^totem {\n\tversion: 2\n/);
    expect((await cli("remove-node", file, "nobody")).stderr).toMatch(/NODE_NOT_FOUND/);
  });

  it("bad --host and --nodeid values name the option", async () => {
    expect((await cli("migrate", tutorialPath, "--host", "node1")).stderr).toMatch(
      /--host: expected NAME=IP/,
    );
    const file = join(dir, "nodeid.conf");
    await writeFile(file, (await cli(...generateArgs)).stdout);
    const bad = await cli("add-node", file, "--node", "n3=192.0.2.13", "--nodeid", "x");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/INVALID_OPTIONS: --nodeid: expected a whole number, found "x"/);
  });

  it("fmt refuses a file with syntax errors", async () => {
    const bad = join(dir, "syntax.conf");
    await writeFile(bad, "totem {\n}\n}\n");
    const { status, stderr } = await cli("fmt", bad);
    expect(status).toBe(1);
    expect(stderr).toMatch(/syntax\.conf:3:1: error: '}' closes no section/);
  });

  it("keygen writes 256 random bytes with mode 0400 and refuses to overwrite", async () => {
    const key = join(dir, "authkey");
    expect((await cli("keygen", "-k", key)).status).toBe(0);
    const info = await stat(key);
    expect(info.mode & 0o777).toBe(0o400);
    expect(info.size).toBe(256);
    const again = await cli("keygen", "-k", key);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/AUTHKEY_WRITE_FAILED/);
    expect((await cli("keygen", "-k", key, "--force", "--size", "512")).status).toBe(0);
    expect((await stat(key)).size).toBe(512);
  });

  it("unknown commands print the usage and exit 2", async () => {
    const { status, stderr } = await cli("frobnicate");
    expect(status).toBe(2);
    expect(stderr).toMatch(/unknown command "frobnicate"[\s\S]*usage: ocfkit-corosync/);
  });

  it("the bin entry runs as a process and sets its exit status", async () => {
    const run = promisify(execFile);
    const entry = fileURLToPath(new URL("./cli.ts", import.meta.url));
    const { stdout } = await run("npx", [
      "tsx",
      "--conditions=@ocfkit/source",
      entry,
      ...generateArgs,
    ]);
    expect(parse(stdout).diagnostics).toEqual([]);
    await expect(run("npx", ["tsx", entry, "validate", "/nonexistent.conf"])).rejects.toMatchObject(
      { code: 1 },
    );
  });
});
