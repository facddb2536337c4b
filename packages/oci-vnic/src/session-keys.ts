import { generateKeyPair, generateKeyPairSync } from "node:crypto";

/** A session key pair in PEM (public SPKI, private PKCS#8), as the SDK's suppliers hand them out. */
export interface PemKeyPair {
  publicKey: string;
  privateKey: string;
}

/** Generates a session key in the thread pool, so it overlaps metadata fetches and SDK loading. */
export function generateSessionKey(): Promise<PemKeyPair> {
  return new Promise((resolve, reject) => {
    generateKeyPair(
      "rsa",
      {
        modulusLength: 2048,
        publicKeyEncoding: { type: "spki", format: "pem" },
        privateKeyEncoding: { type: "pkcs8", format: "pem" },
      },
      (err, publicKey, privateKey) => (err ? reject(err) : resolve({ publicKey, privateKey })),
    );
  });
}

/**
 * Our `SessionKeySupplier` for the SDK's federation client. The SDK's own one generates an RSA key
 * in its constructor and again on the first token fetch (≈ 170 ms each); this one starts with a
 * key generated in the background and uses it for the first token, generating only on later
 * refreshes.
 */
export class PregeneratedSessionKeySupplier {
  private pair: PemKeyPair;
  private unused: boolean;

  constructor(first: PemKeyPair) {
    this.pair = first;
    this.unused = true;
  }

  /** Called by the SDK to sign and to send the public half to the federation endpoint. */
  getKeyPair(): { getPublic(): string; getPrivate(): string } {
    const { publicKey, privateKey } = this.pair;
    return { getPublic: () => publicKey, getPrivate: () => privateKey };
  }

  /** Called by the SDK before each token request: a fresh key, except for the pregenerated one. */
  refreshKeys(): void {
    if (this.unused) {
      this.unused = false;
      return;
    }
    this.pair = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      publicKeyEncoding: { type: "spki", format: "pem" },
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
    });
  }

  /** The private key bound to the latest token. */
  privateKeyPem(): string {
    return this.pair.privateKey;
  }
}
