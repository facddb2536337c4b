import { createHash, type KeyObject, randomBytes, sign } from "node:crypto";
import {
  bitString,
  boolean,
  explicit,
  implicitPrimitive,
  integer,
  nullValue,
  octetString,
  oid,
  sequence,
  set,
  time,
  utf8String,
} from "./asn1.js";

/** One relative distinguished name component, e.g. `{ type: "OU", value: "opc-tenant:ocid1..." }`. */
export interface NameAttribute {
  type: "CN" | "OU" | "O" | "C" | "L";
  value: string;
}

/** What {@link createCertificate} needs to issue an X.509 v3 certificate. */
export interface CertificateRequest {
  subject: NameAttribute[];
  issuer: NameAttribute[];
  publicKey: KeyObject;
  issuerKey: KeyObject;
  issuerPublicKey: KeyObject;
  isCa: boolean;
  notBefore: Date;
  notAfter: Date;
}

const attributeOids: Record<NameAttribute["type"], string> = {
  CN: "2.5.4.3",
  OU: "2.5.4.11",
  O: "2.5.4.10",
  C: "2.5.4.6",
  L: "2.5.4.7",
};
const sha256WithRsa = "1.2.840.113549.1.1.11";

function encodeName(attributes: NameAttribute[]): Buffer {
  // One attribute per RDN, the usual layout (and the one OCI's instance certificates use).
  return sequence(
    ...attributes.map((a) => set(sequence(oid(attributeOids[a.type]), utf8String(a.value)))),
  );
}

function keyIdentifier(publicKey: KeyObject): Buffer {
  // RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING content.
  const spki = publicKey.export({ format: "der", type: "pkcs1" });
  return createHash("sha1").update(spki).digest();
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical
    ? sequence(oid(id), boolean(true), octetString(value))
    : sequence(oid(id), octetString(value));
}

/** Issues an RSA, sha256WithRSAEncryption X.509 v3 certificate and returns its DER bytes. */
export function createCertificate(request: CertificateRequest): Buffer {
  const algorithm = sequence(oid(sha256WithRsa), nullValue());
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const keyUsageBits = request.isCa ? Buffer.from([0x01, 0x06]) : Buffer.from([0x05, 0xa0]);
  const extensions = [
    extension("2.5.29.19", true, request.isCa ? sequence(boolean(true)) : sequence()),
    extension("2.5.29.15", true, Buffer.concat([Buffer.from([0x03, 0x02]), keyUsageBits])),
    extension("2.5.29.14", false, octetString(keyIdentifier(request.publicKey))),
    extension(
      "2.5.29.35",
      false,
      sequence(implicitPrimitive(0, keyIdentifier(request.issuerPublicKey))),
    ),
  ];
  const tbs = sequence(
    explicit(0, integer(2)),
    integer(serial),
    algorithm,
    encodeName(request.issuer),
    sequence(time(request.notBefore), time(request.notAfter)),
    encodeName(request.subject),
    request.publicKey.export({ format: "der", type: "spki" }),
    explicit(3, sequence(...extensions)),
  );
  const signature = sign("sha256", tbs, request.issuerKey);
  return sequence(tbs, algorithm, bitString(signature));
}

/** PEM armour for a DER certificate. */
export function certificatePem(der: Buffer): string {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}

/** The SHA-1 fingerprint of a DER certificate as OCI writes it in federation keyIds (`aa:bb:...`). */
export function certificateFingerprint(der: Buffer): string {
  return createHash("sha1").update(der).digest("hex").match(/../g)?.join(":") ?? "";
}
