import { execFile, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installFenceAgent } from "../src/index.js";
import { startWorld, type World } from "./helpers.js";

const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));
const cli = fileURLToPath(new URL("../src/cli.ts", import.meta.url));
const has = (tool: string): boolean => spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0;
let w: World;
let runtime: string;

/** Runs a launcher the way the fencer does: options on stdin, a minimal environment. */
function runLauncher(path: string, args: string[], stdin = "") {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      path,
      args,
      { env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin" } },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin);
  });
}

beforeAll(async () => {
  w = await startWorld();
  // The launcher runs "node" with the agent's module; here a node that loads TypeScript sources.
  runtime = join(w.dir, "node-with-sources");
  await writeFile(runtime, `#!/bin/sh\nexec ${tsx} --conditions=@ocfkit/source "$@"\n`);
  await chmod(runtime, 0o755);
});
afterAll(async () => {
  await w?.stop();
});

describe("fence_oci install", () => {
  it("writes an executable launcher with absolute paths, replacing an older one", async () => {
    const sbinDir = join(w.dir, "sbin");
    const first = await installFenceAgent({ sbinDir, nodePath: runtime, entry: cli });
    expect(first.path).toBe(join(sbinDir, "fence_oci"));
    const again = await installFenceAgent({ sbinDir, nodePath: runtime, entry: cli });
    expect(again.path).toBe(first.path);
    const text = await readFile(first.path, "utf8");
    expect(text.startsWith(`#!${runtime}\n`)).toBe(true);
    expect(text).toContain(JSON.stringify(`file://${cli}`));
    await expect(installFenceAgent({ sbinDir: "relative" })).rejects.toThrow(
      "--sbin-dir: expected an absolute path, got relative",
    );

    const meta = await runLauncher(first.path, ["-o", "metadata"]);
    expect(meta.code).toBe(0);
    const file = join(w.dir, "meta.xml");
    await writeFile(file, meta.stdout);
    const lint = spawnSync(
      "xmllint",
      ["--noout", "--relaxng", "/usr/share/cluster/relaxng/metadata.rng", file],
      {
        encoding: "utf8",
      },
    );
    expect(lint.status, lint.stderr).toBe(0);

    const node2 = w.emu.scenario.instances.find((i) => i.name === "node2")!.id;
    const off = await runLauncher(
      first.path,
      [],
      `action=off\nplug=${node2}\n${w.endpointLines()}`,
    );
    expect(off).toMatchObject({ code: 0, stdout: "Success: Powered OFF\n" });
    expect(w.emu.compute.state("node2")).toBe("STOPPED");
  }, 120_000);
});

// Pacemaker looks for fence agents in /usr/sbin only: install there for this test and remove it.
describe.skipIf(
  process.getuid?.() !== 0 || !has("stonith_admin") || existsSync("/usr/sbin/fence_oci"),
)("Pacemaker's tools with fence_oci in /usr/sbin", () => {
  afterAll(async () => {
    await rm("/usr/sbin/fence_oci", { force: true });
  });
  it("stonith_admin lists it and reads its metadata; pcs describes it", async () => {
    await installFenceAgent({ nodePath: runtime, entry: cli });
    const listed = spawnSync("stonith_admin", ["--list-installed"], { encoding: "utf8" });
    expect(listed.stdout.split(/\s+/)).toContain("fence_oci");
    const meta = spawnSync("stonith_admin", ["--metadata", "-a", "fence_oci"], {
      encoding: "utf8",
    });
    expect(meta.status).toBe(0);
    expect(meta.stdout).toContain('<parameter name="compartment"');
    const pcs = spawnSync("pcs", ["stonith", "describe", "fence_oci"], { encoding: "utf8" });
    expect(pcs.status).toBe(0);
    expect(pcs.stdout).toContain("api_endpoint:");
    expect(pcs.stdout).toContain("pcmk_host_map:");
  }, 120_000);
});
