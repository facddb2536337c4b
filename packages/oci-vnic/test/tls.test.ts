import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { isOciVnicError } from "../src/index.js";
import { ensureLibraryBuilt } from "./build.js";
import { runChild } from "./child.js";
import { assertLoopback, type Harness, startHarness } from "./harness.js";
import { selfSignedLoopbackCert } from "./tls-cert.js";

// The real endpoints are HTTPS: here the emulator serves HTTPS too, with a certificate only a
// process told to trust it (NODE_EXTRA_CA_CERTS) accepts.
let certDir: string;
let certPath: string;
let h: Harness;
beforeAll(async () => {
  certDir = mkdtempSync(join(tmpdir(), "oci-vnic-tls-"));
  const pair = selfSignedLoopbackCert(certDir);
  certPath = pair.certPath;
  h = await startHarness({ tls: { key: pair.key, cert: pair.cert } });
}, 60_000);
afterAll(async () => {
  await h?.stop();
  rmSync(certDir, { recursive: true, force: true });
});

it("refuses an endpoint whose certificate it does not trust, before sending anything", async () => {
  expect(h.emu.urls.api).toMatch(/^https:\/\/127\.0\.0\.1:/);
  h.emu.clearRequestLog();
  const error = await h
    .client("node1")
    .getAssignment("192.0.2.100")
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(isOciVnicError(error, "METADATA_UNAVAILABLE")).toBe(true);
  expect(String((error as Error).message)).toMatch(/self-signed certificate/);
  expect(h.emu.requestLog()).toEqual([]);
});

it("built package over HTTPS: federates, reads and moves the IP with verified signatures", async () => {
  const dist = await ensureLibraryBuilt();
  const endpoints = {
    metadata: h.emu.urls.imds.node1!,
    federation: h.emu.urls.federation,
    api: h.emu.urls.api,
  };
  assertLoopback(endpoints);
  const config = {
    entry: `${dist}/index.js`,
    assign: true,
    options: { endpoints, region: h.emu.region, cacheDir: join(h.dir, "tls") },
  };
  h.emu.clearRequestLog();
  const { stdout, stderr, status } = await runChild(config, { NODE_EXTRA_CA_CERTS: certPath });
  expect(stderr).toBe("");
  expect(status).toBe(0);
  const out = JSON.parse(stdout.trim().split("\n").at(-1)!) as {
    undiciAfterRead: boolean;
    counts: Record<string, number>;
  };
  expect(out.undiciAfterRead).toBe(false);
  expect(out.counts).toMatchObject({ Federation: 1, ListPrivateIps: 3, CreatePrivateIp: 1 });
  const log = h.emu.requestLog();
  expect(log.map((r) => r.operation)).toEqual(
    expect.arrayContaining(["Federation", "ListPrivateIps", "CreatePrivateIp"]),
  );
  expect(log.every((r) => r.signature === "ok" || r.signature === "n/a")).toBe(true);
  expect(h.emu.state().privateIps.some((p) => p.ipAddress === "192.0.2.100")).toBe(true);
}, 120_000);
