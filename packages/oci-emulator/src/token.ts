import {
  createHmac,
  createPublicKey,
  type KeyObject,
  randomBytes,
  randomUUID,
  timingSafeEqual,
} from "node:crypto";

/** Claims the emulator puts in an instance-principal session token (as OCI's, plus `exp`). */
export interface SessionClaims {
  sub: string;
  tenant: string;
  "opc-instance": string;
  "opc-compartment": string;
  "opc-certtype": "instance";
  ptype: "instance";
  jwk: Record<string, unknown>;
  iat: number;
  exp: number;
  jti: string;
  iss: string;
  aud: string;
}

/** A verified session: the claims and the session public key requests must be signed with. */
export interface Session {
  claims: SessionClaims;
  key: KeyObject;
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString("base64url");

/** Issues and verifies HS256 session tokens; verified sessions are cached by token. */
export interface TokenService {
  issue(input: {
    instanceId: string;
    tenancyId: string;
    compartmentId: string;
    sessionKey: KeyObject;
    nowSeconds: number;
    ttlSeconds: number;
  }): string;
  verify(token: string, nowSeconds: number): Session | { reason: string };
}

/** Creates a {@link TokenService} with a fresh random secret. */
export function createTokenService(): TokenService {
  const secret = randomBytes(32);
  const cache = new Map<string, Session>();
  const mac = (data: string): Buffer => createHmac("sha256", secret).update(data).digest();
  return {
    issue({ instanceId, tenancyId, compartmentId, sessionKey, nowSeconds, ttlSeconds }) {
      const claims: SessionClaims = {
        sub: instanceId,
        tenant: tenancyId,
        "opc-instance": instanceId,
        "opc-compartment": compartmentId,
        "opc-certtype": "instance",
        ptype: "instance",
        jwk: sessionKey.export({ format: "jwk" }) as Record<string, unknown>,
        iat: nowSeconds,
        exp: nowSeconds + ttlSeconds,
        jti: randomUUID(),
        iss: "authService.oracle.com",
        aud: "oci",
      };
      const head = `${b64url(JSON.stringify({ alg: "HS256", typ: "JWT", kid: "oci-emulator" }))}.${b64url(JSON.stringify(claims))}`;
      return `${head}.${b64url(mac(head))}`;
    },
    verify(token, nowSeconds) {
      let session = cache.get(token);
      if (!session) {
        const [header = "", payload = "", sig = ""] = token.split(".");
        const expected = mac(`${header}.${payload}`);
        const given = Buffer.from(sig, "base64url");
        if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
          return { reason: "the session token was not issued by this emulator" };
        }
        try {
          const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as SessionClaims;
          session = { claims, key: createPublicKey({ key: claims.jwk as never, format: "jwk" }) };
        } catch {
          return { reason: "the session token is malformed" };
        }
        if (cache.size > 10_000) cache.clear();
        cache.set(token, session);
      }
      if (session.claims.exp <= nowSeconds) return { reason: "the session token has expired" };
      return session;
    },
  };
}
