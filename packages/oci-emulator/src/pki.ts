import { generateKeyPair, type KeyObject } from "node:crypto";
import { promisify } from "node:util";
import { certificateFingerprint, certificatePem, createCertificate } from "./x509.js";

const generateRsa = promisify(generateKeyPair);

/** An RSA key pair with its PEM forms. */
export interface KeyMaterial {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** PKCS#1 PEM (`BEGIN RSA PRIVATE KEY`), what OCI's metadata service serves. */
  privateKeyPem: string;
  /** SPKI PEM (`BEGIN PUBLIC KEY`). */
  publicKeyPem: string;
}

/** A certificate with its key. */
export interface IssuedCertificate {
  der: Buffer;
  pem: string;
  fingerprint: string;
  key: KeyMaterial;
}

/** What an instance leaf certificate carries in its subject. */
export interface LeafSubject {
  tenancyId: string;
  compartmentId: string;
  instanceId: string;
}

/** Generates an RSA-2048 key pair (off the event loop). */
export async function generateKeyMaterial(): Promise<KeyMaterial> {
  const { privateKey, publicKey } = await generateRsa("rsa", { modulusLength: 2048 });
  return {
    privateKey,
    publicKey,
    privateKeyPem: privateKey.export({ format: "pem", type: "pkcs1" }).toString(),
    publicKeyPem: publicKey.export({ format: "pem", type: "spki" }).toString(),
  };
}

function issued(der: Buffer, key: KeyMaterial): IssuedCertificate {
  return { der, pem: certificatePem(der), fingerprint: certificateFingerprint(der), key };
}

const rootName = [
  { type: "O" as const, value: "ocfkit oci-emulator" },
  { type: "CN" as const, value: "oci-emulator root CA" },
];
const intermediateName = [
  { type: "O" as const, value: "ocfkit oci-emulator" },
  { type: "CN" as const, value: "oci-emulator instance identity intermediate" },
];

/** The emulator's certificate authority: a root and the intermediate that signs instance leaves. */
export interface CertificateAuthority {
  root: IssuedCertificate;
  intermediate: IssuedCertificate;
}

/** Creates a root CA and an intermediate CA signed by it, valid for ten years from `now`. */
export async function createCertificateAuthority(now: Date): Promise<CertificateAuthority> {
  const [rootKey, intermediateKey] = await Promise.all([
    generateKeyMaterial(),
    generateKeyMaterial(),
  ]);
  const notBefore = new Date(now.getTime() - 3600_000);
  const notAfter = new Date(now.getTime() + 10 * 365 * 86400_000);
  const root = createCertificate({
    subject: rootName,
    issuer: rootName,
    publicKey: rootKey.publicKey,
    issuerKey: rootKey.privateKey,
    issuerPublicKey: rootKey.publicKey,
    isCa: true,
    notBefore,
    notAfter,
  });
  const intermediate = createCertificate({
    subject: intermediateName,
    issuer: rootName,
    publicKey: intermediateKey.publicKey,
    issuerKey: rootKey.privateKey,
    issuerPublicKey: rootKey.publicKey,
    isCa: true,
    notBefore,
    notAfter,
  });
  return { root: issued(root, rootKey), intermediate: issued(intermediate, intermediateKey) };
}

let processCa: Promise<CertificateAuthority> | undefined;

/**
 * The CA shared by every emulator of this process, created on first use: two RSA keys fewer
 * per start. Leaf and user keys stay per emulator.
 */
export function sharedCertificateAuthority(now: Date): Promise<CertificateAuthority> {
  processCa ??= createCertificateAuthority(now);
  processCa.catch(() => {
    processCa = undefined;
  });
  return processCa;
}

/** Issues an instance leaf whose subject carries the tenancy the way OCI's identity certificates do. */
export function issueInstanceCertificate(
  ca: CertificateAuthority,
  subject: LeafSubject,
  key: KeyMaterial,
  now: Date,
): IssuedCertificate {
  const der = createCertificate({
    subject: [
      { type: "CN", value: subject.instanceId },
      { type: "OU", value: "opc-certtype:instance" },
      { type: "OU", value: `opc-compartment:${subject.compartmentId}` },
      { type: "OU", value: `opc-instance:${subject.instanceId}` },
      { type: "OU", value: `opc-tenant:${subject.tenancyId}` },
    ],
    issuer: intermediateName,
    publicKey: key.publicKey,
    issuerKey: ca.intermediate.key.privateKey,
    issuerPublicKey: ca.intermediate.key.publicKey,
    isCa: false,
    notBefore: new Date(now.getTime() - 3600_000),
    notAfter: new Date(now.getTime() + 365 * 86400_000),
  });
  return issued(der, key);
}
