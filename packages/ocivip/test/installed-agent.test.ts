import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installAgent } from "../src/index.js";
import { collect, createWorld, VIP, type World } from "./helpers/world.js";

// The agent as Pacemaker sees it: installed under /usr/lib/ocf/resource.d/<provider>/ (a provider
// name unique to this run, removed afterwards), listed by crm_resource, and passing ocf-tester,
// which runs inside node1's namespace against the emulator.

const provider = `ocfkit-test-${randomBytes(3).toString("hex")}`;
const providerDir = `/usr/lib/ocf/resource.d/${provider}`;
let world: World;
let launcher: string;

beforeAll(async () => {
  world = await createWorld({ nodes: { node1: undefined } });
  ({ path: launcher } = await installAgent({ provider, entry: world.agent.entry }));
}, 120_000);
afterAll(async () => {
  rmSync(providerDir, { recursive: true, force: true });
  await world?.close();
});

describe("the installed agent", () => {
  it("is a launcher with the absolute node path (Pacemaker's PATH is minimal)", () => {
    const text = readFileSync(launcher, "utf8");
    expect(text.startsWith(`#!${process.execPath}\n`)).toBe(true);
    expect(text).toContain(JSON.stringify(world.agent.entry));
  });

  it("is listed by crm_resource --list-agents and its meta-data is served", () => {
    const list = spawnSync("crm_resource", ["--list-agents", `ocf:${provider}`], {
      encoding: "utf8",
    });
    expect(list.stdout.split("\n")).toContain("ocivip");
    const meta = spawnSync("crm_resource", ["--show-metadata", `ocf:${provider}:ocivip`], {
      encoding: "utf8",
      env: { PATH: "/usr/sbin:/usr/bin" },
    });
    expect(meta.status).toBe(0);
    expect(meta.stdout).toContain('<resource-agent name="ocivip"');
  });

  // Asynchronous spawns only: the emulator and the namespace bridge live in this process.
  it("passes ocf-tester (inside node1's namespace, against the emulator)", async () => {
    const node = world.nodes.node1!;
    const options = Object.entries({
      secondary_private_ip: VIP,
      ...world.endpoints("node1"),
    }).flatMap(([k, v]) => ["-o", `${k}=${v}`]);
    const res = await collect(
      spawn(
        "ip",
        [
          "netns",
          "exec",
          node.ns.name,
          "env",
          `HA_RSCTMP=${node.rscTmp}`,
          "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
          "ocf-tester",
          "-n",
          "vip",
          ...options,
          launcher,
        ],
        { stdio: ["ignore", "pipe", "pipe"] },
      ),
    );
    expect(res.stdout + res.stderr).toMatch(/ocivip passed all tests/);
    expect(res.status).toBe(0);
    expect(node.addresses("ens3").map((a) => a.local)).not.toContain(VIP);
    // stop keeps the cloud assignment by default (release_on_stop=false): the OCID survives.
    expect(world.holder(VIP)).toBe(world.vnicId("node1"));
  }, 200_000);
});

describe("an installed launcher whose package is gone", () => {
  let gone: string;
  let root: string;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "ocfk-gone-"));
    ({ path: gone } = await installAgent({
      ocfRoot: root,
      provider: "gone",
      entry: join(root, "uninstalled", "dist", "launch.cjs"),
    }));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** Runs the broken launcher in node1's namespace with a clean environment. */
  const runGone = (action: string, params: Record<string, string>) => {
    const vars = Object.entries(params).map(([k, v]) => `OCF_RESKEY_${k}=${v}`);
    return collect(
      spawn(
        "ip",
        [
          "netns",
          "exec",
          world.nodes.node1!.ns.name,
          "env",
          "-i",
          "PATH=/usr/bin:/bin",
          ...vars,
          gone,
          action,
        ],
        { stdio: ["ignore", "pipe", "pipe"] },
      ),
    );
  };
  const local = () => world.nodes.node1!.addresses("ens3").map((a) => a.local);

  it("stop removes the floating address with ip and succeeds; the node's own address stays", async () => {
    expect((await world.run("start", { secondary_private_ip: VIP })).status).toBe(0);
    const own = local().find((a) => a !== VIP)!;
    expect(local()).toContain(VIP);
    const res = await runGone("stop", { secondary_private_ip: VIP });
    expect(res.stderr).toMatch(/cannot be loaded \(Cannot find module/);
    expect(res.stderr).toContain(`removed ${VIP}/24 on ens3`);
    expect(res.status).toBe(0);
    expect(local()).not.toContain(VIP);
    expect(local()).toContain(own);
    // Again: nothing left to remove, still a success.
    const again = await runGone("stop", { secondary_private_ip: VIP });
    expect(again.status).toBe(0);
    expect(again.stderr).toContain("is not configured on this node");
    await world.run("stop", { secondary_private_ip: VIP });
  });

  it("stop never removes an interface's primary address: it fails with the reason", async () => {
    const own = local()[0]!;
    const res = await runGone("stop", { secondary_private_ip: own });
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/ocf-exit-reason:.*primary address/);
    expect(local()).toContain(own);
  });

  it("every other action fails with OCF_ERR_INSTALLED and says why", async () => {
    for (const action of ["start", "monitor", "meta-data"]) {
      const res = await runGone(action, { secondary_private_ip: VIP });
      expect(res.status).toBe(5);
      expect(res.stderr).toMatch(/ocf-exit-reason:the ocivip package at .* cannot be loaded/);
    }
    expect(local()).not.toContain(VIP);
  });
});
