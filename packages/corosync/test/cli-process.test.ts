import { execFileSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  closeSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_SECTION_DEPTH } from "../src/index.js";
import { buildCli, packageVersion, removeCliBuild, runCliProcess } from "./helpers/cli-build.js";

// ocfkit-corosync as users run it: the bundled bin, a new process per call.

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
let cli: string;
let dir: string;
beforeAll(async () => {
  cli = await buildCli();
  dir = mkdtempSync(join(tmpdir(), "ocfk-cs-proc-"));
}, 120_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  removeCliBuild();
});
const run = (...args: string[]) => runCliProcess(cli, args);

describe("ocfkit-corosync command line", () => {
  it("--version prints package.json's version", async () => {
    const res = await run("--version");
    expect(res.status).toBe(0);
    expect(res.stdout).toBe(`ocfkit-corosync ${packageVersion}\n`);
  });

  it("every command answers --help with its usage and does nothing else", async () => {
    for (const command of [
      "validate",
      "fmt",
      "generate",
      "migrate",
      "add-node",
      "remove-node",
      "keygen",
    ]) {
      const res = await run(command, "--help");
      expect(res.status, `${command}: ${res.stderr}`).toBe(0);
      expect(res.stdout).toMatch(new RegExp(`^usage: ocfkit-corosync ${command}`));
    }
    // keygen --help writes no key, even where it would.
    const key = join(dir, "no-key");
    expect((await run("keygen", "-k", key, "--help")).status).toBe(0);
    expect(() => statSync(key)).toThrow();
    const top = await run("--help");
    expect(top.stdout).toMatch(/exit codes: 0 done, 1 failed/);
  });

  it("unknown options, missing and extra arguments are usage errors (2) with the usage line", async () => {
    for (const args of [
      ["validate", "--nope", "x.conf"],
      ["validate"],
      ["validate", "a.conf", "b.conf"],
      ["fmt", "x.conf", "--indent"],
      ["keygen", "--size", "many"],
      ["generate", "--node", "n1=192.0.2.1"],
      ["frobnicate"],
    ]) {
      const res = await run(...args);
      expect(res.status, `${args.join(" ")}: ${res.stderr}`).toBe(2);
      expect(res.stderr).toMatch(/usage: ocfkit-corosync/);
      expect(res.stderr).not.toMatch(/ERR_PARSE_ARGS|at .*\.js:\d+/);
    }
  });

  it("a file that cannot be read is a failure (1) said plainly, not errors found (3)", async () => {
    const missing = await run("validate", "/nonexistent/corosync.conf");
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(
      "ocfkit-corosync validate: READ_FAILED: cannot read /nonexistent/corosync.conf: no such file or directory\n",
    );
    const directory = await run("fmt", dir);
    expect(directory.status).toBe(1);
    expect(directory.stderr).toMatch(/cannot read .*: is a directory/);
    const zero = await run("validate", "/dev/zero");
    expect(zero.status).toBe(1);
    expect(zero.stderr).toMatch(/cannot read \/dev\/zero: larger than 16777216 bytes/);
    const invalid = join(dir, "invalid.conf");
    writeFileSync(invalid, "totem {\n");
    expect((await run("validate", invalid)).status).toBe(3);
    expect((await run("validate", "--strict", invalid)).status).toBe(3);
  });

  it("validate --strict exits 4 for warnings only, 0 for a clean file", async () => {
    const warn = join(dir, "warn.conf");
    writeFileSync(warn, fixture("tutorial.conf"));
    expect((await run("validate", warn)).status).toBe(0);
    expect((await run("validate", "--strict", warn)).status).toBe(4);
  });

  it("--write replaces the file keeping its mode and owner, never writing through a planted link", async () => {
    const file = join(dir, "corosync.conf");
    writeFileSync(file, fixture("valid-base.conf").replaceAll("\t", "    "));
    chmodSync(file, 0o640);
    chownSync(file, 65534, 65534);
    const before = statSync(file);
    const victim = join(dir, "victim");
    writeFileSync(victim, "precious\n");
    // The name earlier versions used, and a guess at any other: links to a file we must not touch.
    symlinkSync(victim, `${file}.ocfkit-tmp`);
    symlinkSync(victim, join(dir, ".corosync.conf.ocfkit-tmp"));
    const res = await run("fmt", file, "--write");
    expect(res.status, res.stderr).toBe(0);
    const after = statSync(file);
    expect(after.mode & 0o7777).toBe(0o640);
    expect([after.uid, after.gid]).toEqual([65534, 65534]);
    expect(after.ino).not.toBe(before.ino);
    expect(readFileSync(file, "utf8")).toMatch(/\ntotem {\n\tversion: 2\n/);
    expect(readFileSync(victim, "utf8")).toBe("precious\n");
    expect(
      readdirSync(dir)
        .filter((n) => /ocfkit-tmp/.test(n))
        .sort(),
    ).toEqual([".corosync.conf.ocfkit-tmp", "corosync.conf.ocfkit-tmp"]);
    // Through a symlink the admin made, the target is replaced and the link kept.
    const link = join(dir, "link.conf");
    symlinkSync(file, link);
    const added = await run("add-node", link, "--node", "node9=192.0.2.19", "--write");
    expect(added.status, added.stderr).toBe(0);
    expect(readFileSync(file, "utf8")).toContain("192.0.2.19");
    expect(statSync(file).mode & 0o7777).toBe(0o640);
    expect(execFileSync("readlink", [link], { encoding: "utf8" }).trim()).toBe(file);
  });

  it("keygen --force writes a new file: a reader holding the old key keeps reading the old key", async () => {
    const key = join(dir, "authkey");
    expect((await run("keygen", "-k", key)).status).toBe(0);
    const old = readFileSync(key);
    const fd = openSync(key, "r");
    try {
      const refused = await run("keygen", "-k", key);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(/AUTHKEY_WRITE_FAILED: .*exists \(use --force/);
      expect(readFileSync(key)).toEqual(old);
      const forced = await run("keygen", "-k", key, "--force");
      expect(forced.status, forced.stderr).toBe(0);
      const fresh = readFileSync(key);
      expect(fresh.length).toBe(256);
      expect(fresh.equals(old)).toBe(false);
      expect(statSync(key).mode & 0o777).toBe(0o400);
      const seen = Buffer.alloc(256);
      expect(readSync(fd, seen, 0, 256, 0)).toBe(256);
      expect(seen.equals(old)).toBe(true);
    } finally {
      closeSync(fd);
    }
    expect(readdirSync(dir).filter((n) => n.includes("authkey"))).toEqual(["authkey"]);
  });

  it("nesting past the documented limit is a parse error with file:line, never a RangeError", async () => {
    const deep = join(dir, "deep.conf");
    const levels = 1_000;
    writeFileSync(
      deep,
      `${fixture("valid-base.conf")}${"a {\n".repeat(levels)}${"}\n".repeat(levels)}`,
    );
    const base = fixture("valid-base.conf").split("\n").length - 1;
    const line = base + MAX_SECTION_DEPTH + 1;
    const expected = `${deep}:${line}:1: error: section "a" is nested inside ${MAX_SECTION_DEPTH} others; sections nest at most ${MAX_SECTION_DEPTH} deep [nesting-too-deep]`;
    const validated = await run("validate", deep);
    expect(validated.status).toBe(3);
    expect(validated.stdout).toContain(expected);
    for (const args of [
      ["fmt", deep],
      ["migrate", deep],
      ["add-node", deep, "--node", "n9=192.0.2.19"],
      ["remove-node", deep, "node1"],
    ]) {
      const res = await run(...args);
      expect(res.status, `${args[0]}: ${res.stderr}`).toBe(1);
      expect(res.stderr).toContain(expected);
      expect(res.stderr).toMatch(/PARSE_FAILED: .* has syntax errors/);
      expect(res.stderr).not.toMatch(/RangeError|Maximum call stack|internal error/);
    }
  });
});
