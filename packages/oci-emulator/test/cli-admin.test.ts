import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import * as common from "oci-common";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../src/index.js";
import { networkClient } from "./helpers.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "oci-emu-cli-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Running {
  child: ChildProcess;
  urls: { api: string; federation: string; imds: Record<string, string>; configFile?: string };
}

async function startCli(args: string[]): Promise<Running> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], {
    cwd: packageDir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines = createInterface({ input: child.stdout! });
  const [first] = (await once(lines, "line")) as [string];
  return { child, urls: JSON.parse(first) };
}

async function stopCli(running: Running): Promise<number | null> {
  const exited = once(running.child, "exit");
  running.child.kill("SIGTERM");
  const [code] = (await exited) as [number | null];
  return code;
}

describe("oci-emulator CLI", () => {
  it("prints the URLs, writes an OCI config, persists state atomically and stops on SIGTERM", async () => {
    const stateFile = join(dir, "state.json");
    const configDir = join(dir, "oci");
    const first = await startCli(["--state-file", stateFile, "--write-oci-config", configDir]);
    expect(first.urls.api).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(first.urls.imds.node1).toBe(`${first.urls.api}/imds/node1/opc/v2/`);
    expect(first.urls.configFile).toBe(join(configDir, "config"));
    const config = await readFile(join(configDir, "config"), "utf8");
    expect(config).toMatch(/^\[DEFAULT\]\n/);
    expect(config).toContain(`key_file=${join(configDir, "oci_api_key.pem")}`);

    const provider = new common.ConfigFileAuthenticationDetailsProvider(
      join(configDir, "config"),
      "DEFAULT",
    );
    const emuLike = { urls: first.urls } as unknown as Emulator;
    const client = networkClient(emuLike, provider);
    const subnets = (await (await fetch(`${first.urls.api}/_emulator/state`)).json()) as {
      vnics: { id: string }[];
    };
    const vnicId = subnets.vnics[0]!.id;
    await client.createPrivateIp({ createPrivateIpDetails: { vnicId, ipAddress: "192.0.2.100" } });
    expect(await stopCli(first)).toBe(0);

    const saved = JSON.parse(await readFile(stateFile, "utf8")) as {
      privateIps: { ipAddress: string }[];
    };
    expect(saved.privateIps.map((p) => p.ipAddress)).toContain("192.0.2.100");

    const second = await startCli(["--state-file", stateFile, "--port", "0"]);
    const state = (await (
      await fetch(`${second.urls.api}/_emulator/state`)
    ).json()) as typeof saved;
    expect(state.privateIps.map((p) => p.ipAddress)).toContain("192.0.2.100");
    expect(await stopCli(second)).toBe(0);
  });

  it("refuses a non-loopback host and a bad scenario with exit 2 and a clear message", async () => {
    const bad = join(dir, "bad.yaml");
    await writeFile(bad, "region: us-ashburn-1\ntenancy: { name: t }\ncompartments: []\n");
    const cases = [
      [["--host", "198.51.100.1"], /not a loopback address/],
      [["--scenario", bad], /compartments/],
      [["--port", "http"], /--port must be an integer/],
    ] as const;
    const results = await Promise.all(
      cases.map(async ([args]) => {
        const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], {
          cwd: packageDir,
        });
        let stderr = "";
        child.stderr.on("data", (d: Buffer) => {
          stderr += d.toString();
        });
        const [code] = (await once(child, "exit")) as [number];
        return { code, stderr };
      }),
    );
    results.forEach((result, i) => {
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(cases[i]![1]);
    });
  });
});

describe("admin API and HTTP edges", () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({
      scenario: { ...(await import("../src/index.js")).defaultScenario(), maxBodyBytes: 4096 },
    });
  });
  afterAll(async () => {
    await emu?.stop();
  });
  const admin = (path: string, init?: RequestInit): Promise<Response> =>
    fetch(`${emu.urls.api}/_emulator/${path}`, init);

  it("gets, replaces and resets the state; adds and clears faults; shows the request log", async () => {
    const state = (await (await admin("state")).json()) as ReturnType<Emulator["state"]>;
    const vnicId = state.vnics[0]!.id;
    state.privateIps.push({
      ...state.privateIps[0]!,
      id: "ocid1.privateip.oc1.iad.admin",
      ipAddress: "192.0.2.50",
      isPrimary: false,
      vnicId,
    });
    expect((await admin("state", { method: "PUT", body: JSON.stringify(state) })).status).toBe(204);
    expect(emu.state().privateIps.map((p) => p.ipAddress)).toContain("192.0.2.50");
    expect(
      (await admin("state", { method: "PUT", body: JSON.stringify({ privateIps: 1 }) })).status,
    ).toBe(400);

    const added = await admin("faults", {
      method: "POST",
      body: JSON.stringify({ operation: "GetVnic", status: 503, retryAfterSeconds: 7, count: 1 }),
    });
    expect(added.status).toBe(201);
    expect(((await added.json()) as { id: string }).id).toMatch(/^fault-/);
    const invalid = await admin("faults", {
      method: "POST",
      body: JSON.stringify({ operation: "Nope", status: 503 }),
    });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { message: string }).message).toMatch(/operation/);
    expect(((await (await admin("faults")).json()) as unknown[]).length).toBe(1);
    const faulted = await fetch(`${emu.urls.api}/20160918/vnics/${vnicId}`);
    expect(faulted.status).toBe(503);
    expect(faulted.headers.get("retry-after")).toBe("7");
    const log = (await (await admin("requests")).json()) as {
      operation: string;
      signature: string;
      status: number;
    }[];
    expect(log.at(-1)).toMatchObject({ operation: "GetVnic", signature: "missing", status: 503 });
    expect((await admin("faults", { method: "DELETE" })).status).toBe(204);

    expect((await admin("reset", { method: "POST" })).status).toBe(204);
    expect(emu.state().privateIps.map((p) => p.ipAddress)).not.toContain("192.0.2.50");
    expect(emu.requestLog()).toEqual([]);
  });

  it("answers 401 to unsigned API calls, 413 past the body limit, 404 elsewhere, with opc-request-id", async () => {
    const unsigned = await fetch(`${emu.urls.api}/20160918/privateIps?subnetId=x`, {
      headers: { "opc-request-id": "CLIENT1" },
    });
    expect(unsigned.status).toBe(401);
    expect(unsigned.headers.get("opc-request-id")).toMatch(/^CLIENT1\/[0-9A-F]{32}$/);
    expect(await unsigned.json()).toMatchObject({ code: "NotAuthenticated" });
    const big = await fetch(`${emu.urls.api}/20160918/privateIps`, {
      method: "POST",
      body: "x".repeat(5000),
    });
    expect(big.status).toBe(413);
    const nowhere = await fetch(`${emu.urls.api}/elsewhere`);
    expect(nowhere.status).toBe(404);
    expect(await nowhere.json()).toMatchObject({ code: "NotFound" });
  });

  it("answers malformed JSON in a correctly signed body with 400 InvalidParameter", async () => {
    const dirConfig = await mkdtemp(join(tmpdir(), "oci-emu-json-"));
    try {
      const files = await emu.writeOciConfig(dirConfig);
      const provider = new common.ConfigFileAuthenticationDetailsProvider(
        files.configFile,
        "DEFAULT",
      );
      const signer = new common.DefaultRequestSigner(provider);
      const headers = new Headers({ "content-type": "application/json" });
      const uri = `${emu.urls.api}/20160918/privateIps`;
      const body = "{not json";
      await signer.signHttpRequest({ method: "POST", uri, headers, body });
      const res = await fetch(uri, { method: "POST", headers, body });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        code: "InvalidParameter",
        message: expect.stringMatching(/JSON/),
      });
      expect(emu.requestLog().at(-1)).toMatchObject({
        operation: "CreatePrivateIp",
        signature: "ok",
        principal: "user:admin",
      });
    } finally {
      await rm(dirConfig, { recursive: true, force: true });
    }
  });
});

describe("the command line: --help, --version, exit codes", () => {
  const run = async (args: string[]) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], {
      cwd: packageDir,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const [code] = (await once(child, "exit")) as [number];
    return { code, stdout, stderr };
  };

  it("--version prints package.json's version; --help the usage with the exit codes", async () => {
    const { version } = JSON.parse(
      await readFile(new URL("../package.json", import.meta.url), "utf8"),
    ) as { version: string };
    const [v, help] = await Promise.all([run(["--version"]), run(["--help"])]);
    expect(v).toMatchObject({ code: 0, stdout: `oci-emulator ${version}\n` });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(
      /^usage: oci-emulator[\s\S]*Exit codes: 0 [\s\S]* 1 failed [\s\S]* 2 usage error/,
    );
  });

  it("an unknown option or a stray argument is a usage error (2); an unreadable scenario a failure (1)", async () => {
    const [unknown, stray, missing] = await Promise.all([
      run(["--bogus"]),
      run(["extra"]),
      run(["--scenario", "/nonexistent/scenario.json"]),
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--bogus'[\s\S]*usage: oci-emulator/);
    expect(stray.code).toBe(2);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/oci-emulator: .*\/nonexistent\/scenario\.json/);
  });
});
