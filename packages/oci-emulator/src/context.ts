import { createHash, createPublicKey, type KeyObject } from "node:crypto";
import type { ComputeStore } from "./compute.js";
import type { FaultStore } from "./faults.js";
import { notAuthorizedOrNotFound } from "./http-util.js";
import type { CertificateAuthority, IssuedCertificate, KeyMaterial } from "./pki.js";
import type { ResolvedInstance, ResolvedScenario } from "./scenario.js";
import type { StateStore } from "./state.js";
import type { TokenService } from "./token.js";

/** Who signed a request. */
export type Principal =
  | { kind: "user"; name: string; id: string }
  | { kind: "instance"; name: string; id: string };

/** An API user with its key (the private key only when the emulator generated it). */
export interface UserKey {
  name: string;
  id: string;
  fingerprint: string;
  publicKey: KeyObject;
  privateKeyPem?: string;
}

/** Everything request handlers share. */
export interface EmulatorContext {
  scenario: ResolvedScenario;
  store: StateStore;
  tokens: TokenService;
  faults: FaultStore;
  /** Compute instances' power states (compute.ts). */
  compute: ComputeStore;
  ca: CertificateAuthority;
  leaves: Map<string, IssuedCertificate>;
  users: UserKey[];
  /** Milliseconds since the epoch; independent of a faked `Date` in tests. */
  now(): number;
  retryTokens: Map<
    string,
    { at: number; status: number; body: unknown; headers: Record<string, string> }
  >;
}

/** The emulator's clock: wall time that survives tests faking `Date`. */
export function monotonicWallClock(): () => number {
  return () => performance.timeOrigin + performance.now();
}

/** OCI's API key fingerprint: MD5 of the SPKI DER, colon-separated hex. */
export function keyFingerprint(publicKey: KeyObject): string {
  const der = publicKey.export({ format: "der", type: "spki" });
  return (createHash("md5").update(der).digest("hex").match(/../g) ?? []).join(":");
}

/** Builds the user key table from the scenario and the keys generated for users without one. */
export function buildUserKeys(
  scenario: ResolvedScenario,
  generated: Map<string, KeyMaterial>,
): UserKey[] {
  return scenario.users.map((u) => {
    const material = generated.get(u.name);
    const publicKey = material ? material.publicKey : createPublicKey(u.publicKeyPem ?? "");
    return {
      name: u.name,
      id: u.id,
      fingerprint: u.fingerprint ?? keyFingerprint(publicKey),
      publicKey,
      ...(material ? { privateKeyPem: material.privateKeyPem } : {}),
    };
  });
}

/** Resolves an API keyId (`tenancy/user/fingerprint` or `ST$<token>`) to its key and principal. */
export function resolveApiKey(
  ctx: EmulatorContext,
  keyId: string,
): { key: KeyObject; principal: Principal } | { reason: string } {
  if (keyId.startsWith("ST$")) {
    const session = ctx.tokens.verify(keyId.slice(3), Math.floor(ctx.now() / 1000));
    if ("reason" in session) return session;
    const instance = ctx.scenario.instances.find((i) => i.id === session.claims.sub);
    if (!instance) return { reason: "the session token names an unknown instance" };
    return {
      key: session.key,
      principal: { kind: "instance", name: instance.name, id: instance.id },
    };
  }
  const [tenancy, userId, fingerprint] = keyId.split("/");
  if (tenancy !== ctx.scenario.tenancy.id)
    return { reason: `keyId tenancy ${tenancy} is not this tenancy` };
  const user = ctx.users.find((u) => u.id === userId);
  if (!user) return { reason: `keyId user ${userId} is unknown` };
  if (user.fingerprint !== fingerprint)
    return { reason: `keyId fingerprint ${fingerprint} is not the user's key` };
  return { key: user.publicKey, principal: { kind: "user", name: user.name, id: user.id } };
}

/** The log form of a principal, e.g. `user:admin` or `instance:node1`. */
export function principalLabel(principal: Principal): string {
  return `${principal.kind}:${principal.name}`;
}

/** IAM: may the principal `verb` networking resources in the compartment? Otherwise OCI's 404. */
export function authorize(
  ctx: EmulatorContext,
  principal: Principal,
  compartmentId: string,
  verb: "read" | "manage",
): void {
  const names = new Set([`${principal.kind}:${principal.name}`, `${principal.kind}:*`]);
  if (principal.kind === "instance") {
    for (const g of ctx.scenario.dynamicGroups) {
      if (g.instances.includes(principal.name)) names.add(`dynamic-group:${g.name}`);
    }
  }
  const allowed = ctx.scenario.grants.some((g) => {
    if (!names.has(g.principal)) return false;
    const compartment = ctx.scenario.compartments.find((c) => c.name === g.compartment);
    const inScope =
      compartment?.id === compartmentId || compartment?.id === ctx.scenario.tenancy.id;
    return inScope && (g.verb === "manage" || verb === "read");
  });
  if (!allowed) throw notAuthorizedOrNotFound();
}

/** Finds a scenario instance by name. */
export function instanceByName(ctx: EmulatorContext, name: string): ResolvedInstance | undefined {
  return ctx.scenario.instances.find((i) => i.name === name);
}
