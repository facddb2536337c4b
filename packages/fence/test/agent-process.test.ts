import { execFile, spawnSync } from "node:child_process";
import { chmodSync, existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));
const sample = fileURLToPath(new URL("./sample-agent.ts", import.meta.url));
const has = (tool: string): boolean => spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0;
const isRoot = process.getuid?.() === 0;
let dir: string;

function run(args: string[], stdin = "") {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      tsx,
      ["--conditions=@ocfkit/source", sample, ...args],
      { env: { PATH: process.env.PATH ?? "" } },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin);
  });
}

async function xmllint(xml: string, rng: string): Promise<{ code: number; output: string }> {
  const file = join(dir, "metadata.xml");
  await writeFile(file, xml);
  const r = spawnSync("xmllint", ["--noout", "--relaxng", rng, file], { encoding: "utf8" });
  return { code: r.status ?? 1, output: r.stdout + r.stderr };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "fence-sample-"));
  await writeFile(join(dir, "a.known"), "");
  await writeFile(join(dir, "a"), "");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("a sample agent as a process", () => {
  it("takes options on stdin as Pacemaker's fencer writes them", async () => {
    const off = await run([], `action=off\nport=a\ndevice_dir=${dir}\npcmk_host_map=n1:a\n`);
    expect(off).toMatchObject({ code: 0, stdout: "Success: Powered OFF\n" });
    expect(existsSync(join(dir, "a"))).toBe(false);
    const status = await run(["-o", "status", "-n", "a", `--device-dir=${dir}`]);
    expect(status).toMatchObject({ code: 2, stdout: "Status: OFF\n" });
    const on = await run(["--action=on", "--plug=a", "--device-dir", dir]);
    expect(on).toMatchObject({ code: 0, stdout: "Success: Powered ON\n" });
    const bad = await run([], "action=off\nport=a\ndevice_dir=relative\n");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('option "device_dir": must be an absolute path, got "relative"');
  }, 60_000);

  it.skipIf(!has("xmllint"))(
    "metadata validates against fence-agents' and pcs' schemas",
    async () => {
      const meta = await run(["-o", "metadata"]);
      expect(meta.code).toBe(0);
      for (const rng of [
        "/usr/share/cluster/relaxng/metadata.rng",
        "/usr/share/pcs/data/ocf-1.0.rng",
      ]) {
        if (!existsSync(rng) && !process.env.CI) continue;
        expect(await xmllint(meta.stdout, rng)).toMatchObject({ code: 0 });
      }
      expect(meta.stdout).toContain('<getopt mixed="-n, --plug=[id]" />');
      expect(meta.stdout).toContain(
        '<parameter name="port" unique="0" required="1" deprecated="1">',
      );
      expect(meta.stdout).toContain('<action name="on" automatic="0"/>');
    },
    60_000,
  );
});

// Pacemaker runs fence agents from /usr/sbin only: the launcher is installed there and removed.
describe.skipIf(!isRoot || !has("stonith_admin") || !has("pcs"))(
  "Pacemaker's tools read the metadata",
  () => {
    const name = `fence_ocfkit_t${process.pid}`;
    const launcher = `/usr/sbin/${name}`;
    let agentCopy: string;
    beforeAll(async () => {
      // The agent's name comes from its definition: a copy of the sample with this test's name.
      const { readFile } = await import("node:fs/promises");
      agentCopy = join(fileURLToPath(new URL(".", import.meta.url)), `.${name}.ts`);
      const source = await readFile(sample, "utf8");
      await writeFile(agentCopy, source.replace('"fence_ocfkit_sample"', `"${name}"`));
      await writeFile(
        launcher,
        `#!/bin/sh\nexec ${tsx} --conditions=@ocfkit/source ${agentCopy} "$@"\n`,
        { flag: "wx" },
      );
      chmodSync(launcher, 0o755);
    });
    afterAll(async () => {
      await rm(launcher, { force: true });
      await rm(agentCopy, { force: true });
    });

    it("stonith_admin lists it and prints its metadata; pcs describes its options", () => {
      const listed = spawnSync("stonith_admin", ["--list-installed"], { encoding: "utf8" });
      expect(listed.stdout.split(/\s+/)).toContain(name);
      const meta = spawnSync("stonith_admin", ["--metadata", "-a", name], { encoding: "utf8" });
      expect(meta.status).toBe(0);
      expect(meta.stdout).toContain(`<resource-agent name="${name}"`);
      expect(meta.stdout).toContain('<parameter name="device_dir"');
      const pcs = spawnSync("pcs", ["stonith", "describe", name], { encoding: "utf8" });
      expect(pcs.status).toBe(0);
      expect(pcs.stdout).toMatch(/device_dir \(required\): Directory holding one file/);
      expect(pcs.stdout).toContain("power_timeout: Test X seconds for status change");
    }, 120_000);
  },
);
