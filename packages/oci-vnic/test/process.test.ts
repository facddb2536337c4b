import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { ensureLibraryBuilt } from "./build.js";
import { runChild } from "./child.js";
import { assertLoopback, type Harness, startHarness } from "./harness.js";

// An agent is a new process per action: check what such a process loads and prints.
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(async () => h?.stop());
beforeEach(() => {
  h.emu.reset();
});

const options = (cacheDir: string) => {
  const endpoints = {
    metadata: h.emu.urls.imds.node1!,
    federation: h.emu.urls.federation,
    api: h.emu.urls.api,
  };
  assertLoopback(endpoints);
  return {
    endpoints,
    region: h.emu.region,
    cacheDir: join(h.dir, cacheDir),
    retry: { baseDelayMs: 10, maxDelayMs: 50 },
  };
};

interface LoadReport {
  afterImport: string[];
  afterCreate: string[];
  afterRead: string[];
  afterWrite: string[];
  undiciAfterRead: boolean;
  counts: Record<string, number>;
}

it("loads no SDK at import or creation, and never the SDK's entry points or service client", async () => {
  const r = await runChild({ options: options("lazy"), assign: true });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  const out = JSON.parse(r.stdout.trim().split("\n").at(-1)!) as LoadReport;
  expect(out.afterImport).toEqual([]);
  expect(out.afterCreate).toEqual([]);
  // A read needs oci-common's signer and request pipeline, file by file: not its index.
  expect(out.afterRead).toContain("oci-common/lib/signer.js");
  expect(out.afterRead).not.toContain("oci-common/index.js");
  expect(out.afterRead.filter((f) => f.startsWith("oci-core/")).sort()).toEqual(
    [
      "create-ipv6-details.js",
      "create-private-ip-details.js",
      "update-ipv6-details.js",
      "update-private-ip-details.js",
    ].map((f) => `oci-core/lib/model/${f}`),
  );
  // A write loads nothing more: no generated client, no model index (~1,000 modules).
  expect(out.afterWrite).toEqual(out.afterRead);
  expect(out.counts.CreatePrivateIp).toBe(1);
}, 60_000);

it("built, reads and writes through the one bundled file dist/sdk.cjs, nothing from the SDK packages", async () => {
  const dist = await ensureLibraryBuilt();
  const r = await runChild({
    options: options("bundled"),
    assign: true,
    entry: `${dist}/index.js`,
  });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  const out = JSON.parse(r.stdout.trim().split("\n").at(-1)!) as LoadReport;
  expect(out.afterImport).toEqual([]);
  expect(out.afterCreate).toEqual([]);
  expect(out.afterRead).toEqual(["sdk.cjs"]);
  expect(out.afterWrite).toEqual(["sdk.cjs"]);
  // Requests go through Node's http, and the bundled SDK builds its headers with ours.
  expect(out.undiciAfterRead).toBe(false);
  expect(out.counts).toMatchObject({ ListPrivateIps: 3, CreatePrivateIp: 1, Federation: 1 });
}, 120_000);

it("keeps the SDK's console output off stdout and stderr, even when requests fail", async () => {
  h.emu.faults.add({ operation: "ListPrivateIps", status: 503, code: "ServiceUnavailable" });
  h.emu.faults.add({ operation: "Federation", status: 500, code: "InternalServerError", count: 1 });
  const r = await runChild({ options: options("quiet") });
  expect(r.status).toBe(0);
  const lines = r.stdout.trim().split("\n");
  expect(lines).toHaveLength(2);
  expect(lines[0]).toBe("agent output");
  expect(JSON.parse(lines[1]!)).toMatchObject({
    code: "SERVICE_UNAVAILABLE",
    counts: { Federation: 2 },
  });
  expect(r.stderr).toBe("");
}, 60_000);

it("built: the bundled SDK has no console of its own, and a refused federation prints nothing", async () => {
  const dist = await ensureLibraryBuilt();
  // Every console call of the SDK's code goes to its logger hook (the injected console shim).
  const bundle = readFileSync(join(dist, "sdk.cjs"), "utf8");
  expect(bundle).not.toMatch(/\bconsole\.(log|info|warn|error|debug)\(/);
  // A final federation refusal: the SDK never sees it (it would print it); we report it.
  h.emu.faults.add({ operation: "Federation", status: 400, code: "InvalidParameter" });
  const r = await runChild({ options: options("sdklog"), entry: `${dist}/index.js`, sdkLog: true });
  expect(r.status).toBe(0);
  expect(r.stderr).toBe("");
  const lines = r.stdout.trim().split("\n");
  expect(lines).toHaveLength(2);
  expect(lines[0]).toBe("agent output");
  const out = JSON.parse(lines[1]!) as { code: string; sdkLog: string[] };
  expect(out.code).toBe("FEDERATION_FAILED");
  expect(out.sdkLog).toEqual([]);
}, 120_000);

it("abandons a hanging federation at the deadline, so the process can exit", async () => {
  h.emu.faults.add({ operation: "Federation", hang: true });
  const r = await runChild({ options: options("hang"), timeoutMs: 4000 });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  const out = JSON.parse(r.stdout.trim().split("\n").at(-1)!) as {
    code: string;
    counts: Record<string, number>;
  };
  expect(out.code).toBe("TIMEOUT");
  expect(out.counts.Federation).toBeGreaterThanOrEqual(1); // the deadline hit during federation
  // Nothing may remain: no open request, no SDK retry timer.
  expect(r.lingerMs).toBeLessThan(1500);
  // Wherever a short deadline lands (metadata, key, federation), the process ends cleanly.
  const short = await runChild({ options: options("hang-short"), timeoutMs: 1000 });
  expect(short.stderr).toBe("");
  expect(short.status).toBe(0);
  expect(short.stdout).toContain('"code":"TIMEOUT"');
}, 60_000);

it("abandons a hanging API request at the deadline, so the process can exit", async () => {
  h.emu.faults.add({ operation: "ListPrivateIps", hang: true });
  const r = await runChild({ options: options("api-hang"), timeoutMs: 5000 });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  const out = JSON.parse(r.stdout.trim().split("\n").at(-1)!) as {
    code: string;
    counts: Record<string, number>;
  };
  expect(out.code).toBe("TIMEOUT");
  expect(out.counts.ListPrivateIps).toBeGreaterThanOrEqual(1);
  expect(r.lingerMs).toBeLessThan(1500);
}, 60_000);

it("built: imports only @ocfkit/ocf/files and Node built-ins (zod inlined, the SDK in sdk.cjs)", async () => {
  const out = await ensureLibraryBuilt();
  const bare = new Set<string>();
  for (const file of readdirSync(out).filter((f) => f.endsWith(".js"))) {
    const text = readFileSync(join(out, file), "utf8");
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"./][^'"]*)['"]/g))
      bare.add(m[1]!);
  }
  const builtins = [
    "crypto",
    "fs",
    "module",
    "os",
    "path",
    "url",
    "http",
    "https",
    "net",
    "tls",
    "util",
  ];
  expect([...bare].filter((s) => !s.startsWith("node:") && !builtins.includes(s))).toEqual([
    "@ocfkit/ocf/files",
  ]);
});
