import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { get } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../src/index.js";

// With `tls`, every endpoint is HTTPS with the given certificate (made here with openssl).
let dir: string;
let cert: string;
let emu: Emulator;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "oci-emu-tls-"));
  execFileSync(
    "openssl",
    [
      ...["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"],
      ...["-addext", "subjectAltName=IP:127.0.0.1"],
      ...["-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")],
    ],
    { stdio: "ignore" },
  );
  cert = readFileSync(join(dir, "cert.pem"), "utf8");
  emu = await startEmulator({ tls: { key: readFileSync(join(dir, "key.pem")), cert } });
}, 60_000);
afterAll(async () => {
  await emu?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function getWith(url: string, ca: string | undefined): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = get(
      url,
      { headers: { Authorization: "Bearer Oracle" }, ...(ca ? { ca } : {}) },
      (res) => {
        let body = "";
        res.on("data", (d: Buffer) => {
          body += d.toString();
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
  });
}

it("serves every endpoint over HTTPS with the given certificate", async () => {
  for (const url of [emu.urls.api, emu.urls.federation, emu.urls.imds.node1!]) {
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+/);
  }
  const region = await getWith(`${emu.urls.imds.node1}instance/region`, cert);
  expect(region).toEqual({ status: 200, body: "iad" });
  await expect(getWith(`${emu.urls.imds.node1}instance/region`, undefined)).rejects.toMatchObject({
    code: "DEPTH_ZERO_SELF_SIGNED_CERT",
  });
});
