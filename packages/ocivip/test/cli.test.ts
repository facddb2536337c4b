import { spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LAUNCHER_MARKER } from "../src/install.js";
import { type BuiltAgent, ensureAgentBuilt } from "./helpers/build.js";
import { collect } from "./helpers/world.js";

// The `ocivip` command for people, through the built agent in a new process (what bin/ocivip.js
// and the installed launcher run): strict options, --help per command that does nothing else,
// --version, uninstall that removes only its own launcher, doctor printing as it goes.

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
};
let agent: BuiltAgent;
let root: string;
beforeAll(async () => {
  agent = await ensureAgentBuilt();
  root = mkdtempSync(join(tmpdir(), "ocfk-cli-"));
}, 120_000);
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

function ocivip(args: string[], env: Record<string, string> = {}) {
  return collect(
    spawn(process.execPath, [agent.runner, ...args], {
      env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
}

describe("ocivip (people's commands)", () => {
  it("--version prints package.json's version", async () => {
    const res = await ocivip(["--version"]);
    expect(res.status).toBe(0);
    expect(res.stdout).toBe(`ocivip ${pkg.version}\n`);
    const meta = await ocivip(["meta-data"]);
    expect(meta.stdout).toContain(`<resource-agent name="ocivip" version="${pkg.version}">`);
  });

  it("--help names every command, the exit codes, and exits 0", async () => {
    const res = await ocivip(["--help"]);
    expect(res.status).toBe(0);
    for (const word of ["install", "uninstall", "doctor", "--version", "2 usage error"])
      expect(res.stdout).toContain(word);
  });

  it("an unknown option is a usage error (2), not an OCF action", async () => {
    const res = await ocivip(["--bogus"]);
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/unknown option --bogus/);
  });

  it("install --help prints the usage and installs nothing", async () => {
    const ocfRoot = join(root, "help");
    const res = await ocivip(["install", "--help", "--ocf-root", ocfRoot], { OCF_ROOT: ocfRoot });
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/^usage: ocivip install/);
    expect(existsSync(ocfRoot)).toBe(false);
  });

  it("install refuses unknown options, missing and bad values with 2 and writes nothing", async () => {
    const ocfRoot = join(root, "bad");
    for (const args of [
      ["install", "--force", "--ocf-root", ocfRoot],
      ["install", "--ocf-root"],
      ["install", "--provider", "../etc", "--ocf-root", ocfRoot],
      ["install", "--ocf-root", "relative/dir"],
      ["install", "extra", "--ocf-root", ocfRoot],
      ["uninstall", "--all", "--ocf-root", ocfRoot],
    ]) {
      const res = await ocivip(args);
      expect(res.status, `${args.join(" ")}: ${res.stderr}`).toBe(2);
      expect(res.stderr).toMatch(/^ocivip (un)?install: .+\nusage: ocivip (un)?install/);
    }
    expect(existsSync(ocfRoot)).toBe(false);
  });

  it("uninstall removes the launcher install wrote, and then says nothing is installed", async () => {
    const ocfRoot = join(root, "round");
    const installed = await ocivip(["install", "--provider", "acme", "--ocf-root", ocfRoot]);
    expect(installed.status, installed.stderr).toBe(0);
    const launcher = join(ocfRoot, "resource.d", "acme", "ocivip");
    expect(readFileSync(launcher, "utf8")).toContain(LAUNCHER_MARKER);
    const removed = await ocivip(["uninstall", "--provider", "acme", "--ocf-root", ocfRoot]);
    expect(removed.status, removed.stderr).toBe(0);
    expect(removed.stdout).toBe(`removed ${launcher}\n`);
    expect(existsSync(join(ocfRoot, "resource.d", "acme"))).toBe(false);
    const again = await ocivip(["uninstall", "--provider", "acme", "--ocf-root", ocfRoot]);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/nothing installed/);
  });

  it("uninstall refuses (1) a file it did not write and a symlink, leaving both", async () => {
    const ocfRoot = join(root, "foreign");
    const dir = join(ocfRoot, "resource.d", "ocfkit");
    mkdirSync(dir, { recursive: true });
    const launcher = join(dir, "ocivip");
    writeFileSync(launcher, "#!/bin/sh\n# someone else's agent\nexit 0\n", { mode: 0o755 });
    const res = await ocivip(["uninstall", "--ocf-root", ocfRoot]);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(
      /no launcher marker; not written by `ocivip install`, left in place/,
    );
    expect(readFileSync(launcher, "utf8")).toContain("someone else's agent");

    rmSync(launcher);
    const target = join(root, "target");
    writeFileSync(target, `#!/usr/bin/node\n${LAUNCHER_MARKER}\n`);
    symlinkSync(target, launcher);
    const link = await ocivip(["uninstall", "--ocf-root", ocfRoot]);
    expect(link.status).toBe(1);
    expect(link.stderr).toMatch(/a symbolic link/);
    expect(existsSync(launcher) && existsSync(target)).toBe(true);
  });

  it("doctor --help shows the option syntax; unknown options and words are usage errors", async () => {
    const help = await ocivip(["doctor", "--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/--secondary-private-ip VALUE/);
    expect(help.stdout).toMatch(/--cloud-check-interval VALUE/);
    for (const args of [
      ["doctor", "--nope", "1"],
      ["doctor", "bogus=1"],
      ["doctor", "secondary_private_ip"],
      ["doctor", "--secondary-private-ip"],
    ]) {
      const res = await ocivip(args);
      expect(res.status, `${args.join(" ")}: ${res.stderr}`).toBe(2);
      expect(res.stdout).toBe("");
    }
  });

  describe("doctor prints each check as it completes", () => {
    let server: Server;
    let url: string;
    beforeAll(async () => {
      // A metadata service that never answers: the cloud checks wait, the local ones are done.
      server = createServer(() => undefined);
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/opc/v2/`;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it("shows the local checks while the cloud check is still waiting", async () => {
      const child = spawn(
        process.execPath,
        [
          agent.runner,
          "doctor",
          "--secondary-private-ip",
          "192.0.2.100",
          "--metadata-endpoint",
          url,
          "--federation-endpoint",
          "http://127.0.0.1:9/",
          "--api-endpoint",
          "http://127.0.0.1:9/",
        ],
        {
          env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", HA_RSCTMP: join(root, "rsc") },
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let out = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        out += chunk;
      });
      try {
        const until = Date.now() + 15_000;
        while (!/ok +parameters: secondary_private_ip=192\.0\.2\.100/.test(out)) {
          if (Date.now() > until || child.exitCode !== null)
            throw new Error(`no early output; got ${JSON.stringify(out)}`);
          await new Promise((r) => setTimeout(r, 50));
        }
        // Printed while the process still waits on the metadata service.
        expect(child.exitCode).toBeNull();
        expect(out).toMatch(/running as root/);
        expect(out).not.toMatch(/metadata service v2|checks passed|problem/);
      } finally {
        if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, "SIGKILL");
      }
    }, 30_000);
  });
});

describe("the agent process refuses an IPv6 address with a zone", () => {
  it.each(["validate-all", "start"])("%s: exit 6 naming secondary_private_ip", async (action) => {
    const res = await ocivip([action], {
      OCF_RESKEY_secondary_private_ip: "fe80::1%ens3",
      HA_RSCTMP: join(root, "rsc-zone"),
      OCF_RESKEY_metadata_endpoint: "http://127.0.0.1:9/",
    });
    expect(res.status, res.stderr).toBe(6);
    expect(res.stderr).toMatch(
      /ocf-exit-reason:parameter "secondary_private_ip": expected an IPv4 or IPv6 address without a zone/,
    );
  });
});
