import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A self-signed certificate for the emulator, and where its PEM lies (for NODE_EXTRA_CA_CERTS). */
export interface EmulatorCertificate {
  readonly key: string;
  readonly cert: string;
  readonly certPath: string;
  remove(): void;
}

/**
 * Makes (with openssl) a one-day self-signed certificate whose subjectAltName holds `addresses`
 * (the services address the nodes use, and loopback), so the emulator serves HTTPS as the real
 * API and federation endpoints do, and the nodes' agents trust it through NODE_EXTRA_CA_CERTS.
 */
export function emulatorCertificate(addresses: readonly string[]): EmulatorCertificate {
  const dir = mkdtempSync(join(tmpdir(), "ocfkit-e2e-tls-"));
  const keyPath = join(dir, "emulator-key.pem");
  const certPath = join(dir, "emulator-cert.pem");
  execFileSync(
    "openssl",
    [
      ...["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"],
      ...["-subj", "/CN=oci-emulator", "-addext"],
      `subjectAltName=${addresses.map((a) => `IP:${a}`).join(",")}`,
      ...["-keyout", keyPath, "-out", certPath],
    ],
    { stdio: "ignore" },
  );
  return {
    key: readFileSync(keyPath, "utf8"),
    cert: readFileSync(certPath, "utf8"),
    certPath,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
