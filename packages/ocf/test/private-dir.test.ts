import { execFileSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { encodeInstanceName, openPrivateDir } from "../src/index.js";

// Run as root (as CI does): an unprivileged user (nobody) prepares traps, root's agent opens.
const NOBODY = Number(execFileSync("id", ["-u", "nobody"], { encoding: "utf8" }).trim());

function asNobody(script: string): void {
  execFileSync("setpriv", [
    "--reuid=nobody",
    "--regid=nogroup",
    "--clear-groups",
    "sh",
    "-c",
    script,
  ]);
}

let base: string;
beforeEach(() => {
  // An HA_RSCTMP under /tmp, world-writable and sticky like /tmp itself.
  base = mkdtempSync(join(tmpdir(), "ocfk-priv-"));
  chmodSync(base, 0o1777);
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

describe("openPrivateDir", () => {
  it("creates every level 0700 and writes files 0600 through wx temp files", () => {
    const opened = openPrivateDir(join(base, "ocfkit-x", "rsc"), { base });
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    expect(statSync(join(base, "ocfkit-x")).mode & 0o777).toBe(0o700);
    expect(statSync(opened.dir.path).mode & 0o777).toBe(0o700);
    opened.dir.write("state.json", '{"a":1}');
    expect(statSync(opened.dir.file("state.json")).mode & 0o777).toBe(0o600);
    expect(opened.dir.read("state.json")).toBe('{"a":1}');
    opened.dir.remove("state.json");
    expect(opened.dir.read("state.json")).toBeUndefined();
  });

  it("reads binary files byte for byte, and none past maxBytes", () => {
    const opened = openPrivateDir(join(base, "ocfkit-x", "rsc"), { base });
    if (!opened.ok) throw new Error(opened.reason);
    const bytes = Buffer.from([0, 255, 128, 10, 0xc3]);
    opened.dir.write("code.v8cache", bytes);
    expect(opened.dir.readBuffer("code.v8cache")).toEqual(bytes);
    expect(opened.dir.readBuffer("code.v8cache", 4)).toBeUndefined();
    // An oversized file is removed so that it is rebuilt.
    expect(opened.dir.readBuffer("code.v8cache")).toBeUndefined();
  });

  it("refuses a directory another user created first (the planted-cache attack)", () => {
    asNobody(
      `mkdir -m 700 ${base}/ocfkit-x && mkdir -m 700 ${base}/ocfkit-x/rsc && echo evil > ${base}/ocfkit-x/rsc/state.json`,
    );
    const opened = openPrivateDir(join(base, "ocfkit-x", "rsc"), { base });
    expect(opened).toEqual({
      ok: false,
      reason: expect.stringContaining(`owned by uid ${NOBODY}`),
    });
  });

  it("refuses a directory of ours that is open to others, and a symlink in the chain", () => {
    mkdirSync(join(base, "open"), { mode: 0o777 });
    chmodSync(join(base, "open"), 0o777);
    expect(openPrivateDir(join(base, "open"), { base })).toMatchObject({
      ok: false,
      reason: expect.stringContaining("open to others"),
    });
    const elsewhere = mkdtempSync(join(tmpdir(), "ocfk-priv-target-"));
    try {
      chmodSync(elsewhere, 0o700);
      asNobody(`ln -s ${elsewhere} ${base}/ocfkit-x`);
      expect(openPrivateDir(join(base, "ocfkit-x", "rsc"), { base })).toMatchObject({
        ok: false,
        reason: expect.stringContaining("symbolic link"),
      });
      expect(existsSync(join(elsewhere, "rsc"))).toBe(false);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it("refuses a base whose ancestor anyone can write without the sticky bit", () => {
    const loose = mkdtempSync(join(tmpdir(), "ocfk-loose-"));
    try {
      chmodSync(loose, 0o777);
      expect(openPrivateDir(join(loose, "rsc"))).toMatchObject({
        ok: false,
        reason: expect.stringContaining("writable by others"),
      });
    } finally {
      rmSync(loose, { recursive: true, force: true });
    }
  });

  it("refuses a directory holding a file that is not ours or not private", () => {
    const path = join(base, "rsc");
    const first = openPrivateDir(path, { base });
    if (!first.ok) throw new Error(first.reason);
    writeFileSync(join(path, "foreign"), "x", { mode: 0o600 });
    chownSync(join(path, "foreign"), NOBODY, NOBODY);
    expect(openPrivateDir(path, { base })).toMatchObject({
      ok: false,
      reason: expect.stringContaining("owned by uid"),
    });
    rmSync(join(path, "foreign"));
    writeFileSync(join(path, "loose"), "x", { mode: 0o644 });
    chmodSync(join(path, "loose"), 0o644);
    expect(openPrivateDir(path, { base })).toMatchObject({
      ok: false,
      reason: expect.stringContaining("open to others"),
    });
    rmSync(join(path, "loose"));
    symlinkSync("/etc/passwd", join(path, "link"));
    expect(openPrivateDir(path, { base })).toMatchObject({
      ok: false,
      reason: expect.stringContaining("symbolic link"),
    });
  });

  it("reads nothing through a symlink, a FIFO, a hard link or an oversized file, and removes them", () => {
    const opened = openPrivateDir(join(base, "rsc"), { base });
    if (!opened.ok) throw new Error(opened.reason);
    const { dir } = opened;
    symlinkSync("/etc/passwd", dir.file("a"));
    expect(dir.read("a")).toBeUndefined();
    expect(existsSync(dir.file("a"))).toBe(false);
    execFileSync("mkfifo", ["-m", "600", dir.file("b")]);
    expect(dir.read("b")).toBeUndefined();
    const outside = join(base, "outside");
    writeFileSync(outside, "secret", { mode: 0o600 });
    linkSync(outside, dir.file("c"));
    expect(dir.read("c")).toBeUndefined();
    expect(readFileSync(outside, "utf8")).toBe("secret");
    dir.write("d", "x".repeat(100));
    expect(dir.read("d", 99)).toBeUndefined();
    expect(existsSync(dir.file("d"))).toBe(false);
  });

  it("writes never follow a symlink planted at a temp or target name", () => {
    const opened = openPrivateDir(join(base, "rsc"), { base });
    if (!opened.ok) throw new Error(opened.reason);
    const victim = join(base, "victim");
    writeFileSync(victim, "untouched");
    symlinkSync(victim, opened.dir.file("state"));
    opened.dir.write("state", "new");
    expect(readFileSync(victim, "utf8")).toBe("untouched");
    expect(opened.dir.read("state")).toBe("new");
    expect(() => opened.dir.write("../escape", "x")).toThrow(/private file name/);
  });
});

describe("encodeInstanceName", () => {
  it("keeps plain names and never maps two names to one", () => {
    expect(encodeInstanceName("vip")).toBe("vip");
    const names = ["vip:0", "vip_0", "vip.3a0", "vip 0", "vip/0", "", "é", "vip:1"];
    const encoded = names.map(encodeInstanceName);
    expect(new Set(encoded).size).toBe(names.length);
    for (const e of encoded) expect(e).toMatch(/^[A-Za-z0-9_.-]+$/);
  });
});
