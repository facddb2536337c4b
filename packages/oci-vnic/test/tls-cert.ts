import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** A self-signed certificate for 127.0.0.1 (valid one day), made with openssl in `dir`. */
export function selfSignedLoopbackCert(dir: string): {
  key: string;
  cert: string;
  certPath: string;
} {
  const keyPath = join(dir, "tls-key.pem");
  const certPath = join(dir, "tls-cert.pem");
  execFileSync(
    "openssl",
    [
      ...["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"],
      ...["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
      ...["-keyout", keyPath, "-out", certPath],
    ],
    { stdio: "ignore" },
  );
  return { key: readFileSync(keyPath, "utf8"), cert: readFileSync(certPath, "utf8"), certPath };
}

/** A self-signed certificate for the given subject alternative names (`DNS:x`, `IP:y`), made with openssl. */
export function selfSignedCertFor(
  dir: string,
  names: string[],
): { key: string; cert: string; certPath: string } {
  const keyPath = join(dir, "names-key.pem");
  const certPath = join(dir, "names-cert.pem");
  execFileSync(
    "openssl",
    [
      ...["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"],
      ...["-subj", "/CN=ocfkit test", "-addext", `subjectAltName=${names.join(",")}`],
      ...["-keyout", keyPath, "-out", certPath],
    ],
    { stdio: "ignore" },
  );
  return { key: readFileSync(keyPath, "utf8"), cert: readFileSync(certPath, "utf8"), certPath };
}
