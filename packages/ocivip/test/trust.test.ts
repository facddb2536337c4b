import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createWorld, VIP, type World } from "./helpers/world.js";

// Issue #14's attacks, run for real: root's agent against an HA_RSCTMP where an unprivileged user
// (nobody) prepared traps first. In each, the agent's answers stay right, no planted code runs
// and no file outside the agent's own directory changes.

const params = { secondary_private_ip: VIP };
/** @ocfkit/oci-vnic's metadata snapshot in its cache directory. */
const METADATA = "oci-vnic-metadata.json";
let world: World;
let base: string;
let marker: string;
let target: string;

beforeAll(async () => {
  world = await createWorld({ nodes: { node1: undefined } });
}, 120_000);
afterAll(async () => {
  await world?.close();
});
beforeEach(() => {
  if (base) rmSync(base, { recursive: true, force: true });
  // An HA_RSCTMP like /tmp: anyone may create entries, sticky.
  base = mkdtempSync(join(tmpdir(), "ocfk-trust-"));
  chmodSync(base, 0o1777);
  marker = join(base, "planted-code-ran");
  // A root file the traps point at: it must never change.
  target = join(mkdtempSync(join(tmpdir(), "ocfk-target-")), "important");
  writeFileSync(target, "root's data\n", { mode: 0o644 });
});

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

const run = (action: string, env: Record<string, string> = {}) =>
  world.run(action, params, { env: { HA_RSCTMP: base, ...env } });

/** Every file under `dir` with a digest of its content (symlinks by their target). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isFile()) {
      out[path] = createHash("sha256").update(readFileSync(path)).digest("hex");
    } else if (entry.isSymbolicLink()) {
      out[path] = `-> ${readFileSync(path, { flag: "r" }).length}`;
    }
  }
  return out;
}

/**
 * A V8 code cache for `file` made from other code of the same length (which writes the marker
 * when run), with the header our loader expects for the real file: V8 alone accepts it (checked
 * in a fresh node). Only the directory's trust keeps it out.
 */
function plantedCache(file: string): Buffer {
  const real = readFileSync(file, "utf8");
  const evil = `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "ran");exports.main = async () => 0;`;
  const padded = evil + " ".repeat(real.length - evil.length);
  const wrap = (s: string) =>
    `(function (exports, require, module, __filename, __dirname) {${s}\n})`;
  const script = `
    const { Script } = require("node:vm");
    const [real, evil] = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
    const data = new Script(evil).createCachedData();
    const accepted = !new Script(real, { cachedData: data }).cachedDataRejected;
    process.stdout.write(JSON.stringify({ accepted, data: data.toString("base64") }));`;
  const out = JSON.parse(
    execFileSync(process.execPath, ["-e", script], {
      input: JSON.stringify([wrap(real), wrap(padded)]),
      env: { PATH: process.env.PATH },
    }).toString(),
  ) as { accepted: boolean; data: string };
  expect(out.accepted).toBe(true);
  const digest = createHash("sha256")
    .update(`${process.version}\0${process.arch}\0`)
    .update(readFileSync(file))
    .digest();
  return Buffer.concat([digest, Buffer.from(out.data, "base64")]);
}

/** start, monitor (0), stop, monitor (7): the answers of an agent that trusts nothing here. */
async function lifecycleStaysRight(): Promise<string> {
  let stderr = "";
  const expectStatus = async (action: string, status: number, env?: Record<string, string>) => {
    const res = await run(action, env);
    stderr += res.stderr;
    expect(res.status, `${action}: ${res.stderr}`).toBe(status);
  };
  await expectStatus("monitor", 7);
  await expectStatus("start", 0);
  expect(world.holder(VIP)).toBe(world.vnicId("node1"));
  await expectStatus("monitor", 0);
  await expectStatus("monitor", 0, { OCF_CHECK_LEVEL: "10" });
  await expectStatus("stop", 0);
  // stop keeps the private IP (and its OCID) on our VNIC; the next start moves it.
  expect(world.holder(VIP)).toBe(world.vnicId("node1"));
  await expectStatus("monitor", 7);
  expect(existsSync(marker)).toBe(false);
  return stderr;
}

describe("root's agent and an HA_RSCTMP others can write", () => {
  it("a directory nobody created first, with a planted code cache, forged ticket and metadata naming another VNIC: refused, answers right, nothing planted runs", async () => {
    const dist = dirname(world.agent.entry);
    const dir = join(base, "ocfkit-ocivip", "vip");
    asNobody(`mkdir -p ${dir} && chmod 700 ${join(base, "ocfkit-ocivip")} ${dir}`);
    const forged = {
      version: 1,
      ip: VIP,
      dev: "ens3",
      prefixLength: 24,
      vnicId: world.vnicId("node1"),
      phase: "started",
      lastCloudCheck: Date.now(),
      nextCloudCheck: Date.now() + 3_600_000,
      params: "",
    };
    // oci-vnic's metadata snapshot as a real start writes it, but naming node2's VNIC as ours.
    const trusted = mkdtempSync(join(tmpdir(), "ocfk-trusted-"));
    expect((await world.run("start", params, { env: { HA_RSCTMP: trusted } })).status).toBe(0);
    expect((await world.run("stop", params, { env: { HA_RSCTMP: trusted } })).status).toBe(0);
    const metadata = readFileSync(join(trusted, "ocfkit-ocivip", "vip", METADATA), "utf8");
    rmSync(trusted, { recursive: true, force: true });
    expect(metadata).toContain(world.vnicId("node1"));
    const files: Record<string, Buffer | string> = {
      "agent.v8cache": plantedCache(join(dist, "agent.cjs")),
      "state.json": JSON.stringify(forged),
      [METADATA]: metadata.replaceAll(world.vnicId("node1"), world.vnicId("node2")),
    };
    for (const [name, data] of Object.entries(files)) {
      const staged = join(tmpdir(), `ocfk-stage-${process.pid}-${name}`);
      writeFileSync(staged, data, { mode: 0o644 });
      asNobody(`cat ${staged} > ${join(dir, name)} && chmod 600 ${join(dir, name)}`);
      rmSync(staged);
    }
    const before = snapshot(base);
    const stderr = await lifecycleStaysRight();
    expect(stderr).toMatch(/running without state or caches: .*owned by uid/);
    expect(snapshot(base)).toEqual(before);
    expect(readFileSync(target, "utf8")).toBe("root's data\n");
  }, 120_000);

  it("symlinks at every name the agent writes, in a root directory left mode 0777: refused, nothing written through them", async () => {
    const dir = join(base, "ocfkit-ocivip", "vip");
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(join(base, "ocfkit-ocivip"), 0o755);
    chmodSync(dir, 0o777);
    const names = ["state.json", "standby.json", "warm.lock", "agent.v8cache", METADATA];
    const temps = names.flatMap((n) => [`.${n}.tmp`, `${n}.tmp`]);
    asNobody(
      `cd ${dir} && for n in ${[...names, ...temps].join(" ")}; do ln -s ${target} $n; done`,
    );
    const before = snapshot(base);
    const stderr = await lifecycleStaysRight();
    expect(stderr).toMatch(/running without state or caches: .*open to others/);
    expect(snapshot(base)).toEqual(before);
    expect(readFileSync(target, "utf8")).toBe("root's data\n");
    expect(statSync(target).mode & 0o777).toBe(0o644);
  }, 120_000);

  it("ocfkit-ocivip as a symlink to a directory nobody owns: refused, nothing written there", async () => {
    const elsewhere = join(base, "nobodys");
    asNobody(`mkdir -m 700 ${elsewhere} && ln -s ${elsewhere} ${join(base, "ocfkit-ocivip")}`);
    const stderr = await lifecycleStaysRight();
    expect(stderr).toMatch(/running without state or caches: .*symbolic link/);
    expect(readdirSync(elsewhere)).toEqual([]);
  }, 120_000);
});

describe("the agent's own directory with bad files in it", () => {
  it("corrupt, truncated and stale caches and state are removed and rebuilt once; answers stay right", async () => {
    expect((await run("start")).status).toBe(0);
    const dir = join(base, "ocfkit-ocivip", "vip");
    const agentCache = join(dir, "agent.v8cache");
    const deep = await run("monitor", { OCF_CHECK_LEVEL: "10" });
    expect(deep.stderr).not.toMatch(/running without state or caches/);
    expect(statSync(agentCache).size).toBeGreaterThan(32);
    // Everything the agent and oci-vnic keep is a private file of root's in the one directory.
    const modes = readdirSync(dir).map((f) => [
      f,
      (statSync(join(dir, f)).mode & 0o7777).toString(8),
    ]);
    expect(modes.filter(([, mode]) => mode !== "600")).toEqual([]);
    expect(modes.map(([f]) => f)).toEqual(
      expect.arrayContaining(["state.json", "agent.v8cache", METADATA]),
    );
    const bad: Record<string, string> = {
      "agent.v8cache": "corrupt",
      [METADATA]: "",
      // A state of another IP with a ticket that would let the quick path answer 0.
      "state.json": JSON.stringify({
        version: 1,
        ip: "192.0.2.222",
        dev: "ens3",
        prefixLength: 24,
        vnicId: "x",
        phase: "started",
        lastCloudCheck: Date.now(),
        nextCloudCheck: Date.now() + 60_000,
        params: "",
      }),
    };
    for (const [name, data] of Object.entries(bad)) {
      writeFileSync(join(dir, name), data, { mode: 0o600 });
    }
    world.emulator.clearRequestLog();
    const monitor = await run("monitor");
    expect(monitor.status).toBe(0);
    // No usable state: the full agent checked the cloud and wrote a new state and caches.
    expect(world.emulator.requestLog().map((r) => r.operation)).toContain("ListPrivateIps");
    expect(JSON.parse(readFileSync(join(dir, "state.json"), "utf8"))).toMatchObject({ ip: VIP });
    expect(statSync(agentCache).size).toBeGreaterThan(32);
    const rebuilt = statSync(agentCache).mtimeMs;
    // Rebuilt once: the next full run accepts them as they are.
    expect((await run("monitor", { OCF_CHECK_LEVEL: "10" })).status).toBe(0);
    expect(statSync(agentCache).mtimeMs).toBe(rebuilt);
    expect((await run("stop")).status).toBe(0);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  }, 120_000);
});
