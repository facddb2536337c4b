import type { AuthenticationDetailsProvider } from "oci-common";
import { defaultConfigFile, readConfigProfile, readCredentialFile } from "./config-file.js";
import type { Deadline } from "./deadline.js";
import type { PolicyContext } from "./error-map.js";
import { OciVnicError } from "./errors.js";
import type { SessionSource } from "./instance-principal.js";
import { loadSdk } from "./sdk.js";

/**
 * What signing needs from an authentication provider: the methods of oci-common's
 * `AuthenticationDetailsProvider` that the request signer calls. Every SDK provider has them; a
 * provider of your own needs only these. (Named here so that our types do not pull oci-common's
 * declarations into your compilation.)
 */
export interface SigningProvider {
  /** The key id (`ocid1.tenancy.../ocid1.user.../<fingerprint>`, or `ST$<token>` for sessions). */
  getKeyId(): Promise<string>;
  /** The PEM private key. */
  getPrivateKey(): string;
  /** The private key's passphrase, or null. */
  getPassphrase(): string | null;
}

/** How to authenticate to OCI. */
export type AuthOptions =
  /** Instance principals (the default, as in the tutorial): the instance's identity. */
  | { kind: "instance-principal" }
  /** An API key from an OCI config file (default `~/.oci/config`, profile `DEFAULT`). */
  | { kind: "config-file"; path?: string | undefined; profile?: string | undefined }
  /** Resource principals (v2.2 environment variables), e.g. inside OCI Functions. */
  | { kind: "resource-principal" }
  /** Any SDK authentication provider you built yourself. */
  | { kind: "provider"; provider: SigningProvider };

/** The authentication of one client, behind one shape whatever its kind. */
export interface AuthHandle {
  /** Which principal the IAM hint in errors should name. */
  readonly principal: PolicyContext["principal"];
  /** Makes the credentials valid for a request now (may federate); returns the SDK provider. */
  prepare(deadline: Deadline): Promise<AuthenticationDetailsProvider>;
  /** After a 401: drops cached credentials; true when a retry with new ones makes sense. */
  invalidate(): Promise<boolean>;
  /** The region the credentials name (config file, resource principal), if any. */
  region(deadline: Deadline): Promise<string | undefined>;
  /** Until when (epoch ms) the prepared credentials are used without renewal; undefined: no limit known. */
  validUntil(): number | undefined;
}

/** Wraps a {@link SessionSource} as an SDK authentication provider (the SDK signs with it). */
export function instancePrincipalAuth(sessions: SessionSource): AuthHandle {
  // The SDK's signer only needs these three methods: key id `ST$<token>` and the session key.
  const provider: AuthenticationDetailsProvider = {
    getKeyId: () => {
      const s = sessions.current();
      if (!s) return Promise.reject(new Error("no instance-principal session prepared"));
      return Promise.resolve(`ST$${s.token}`);
    },
    getPrivateKey: () => {
      const s = sessions.current();
      if (!s) throw new Error("no instance-principal session prepared");
      return s.privateKeyPem;
    },
    getPassphrase: () => null,
  };
  return {
    principal: "instance",
    async prepare(deadline) {
      await sessions.get(deadline);
      return provider;
    },
    async invalidate() {
      // The caller retries once per operation: a second 401 in a row is a real auth problem.
      await sessions.discard();
      return true;
    },
    region: async () => undefined,
    validUntil: () => sessions.current()?.refreshAt,
  };
}

/** A config-file, resource-principal or caller-given provider. */
export async function staticAuth(
  options: Exclude<AuthOptions, { kind: "instance-principal" }>,
): Promise<AuthHandle> {
  let provider: AuthenticationDetailsProvider;
  let principal: PolicyContext["principal"] = "other";
  let configRegion: string | undefined;
  try {
    if (options.kind === "config-file") {
      // Read by us, not the SDK: the files are checked (regular, ours, small) before reading,
      // and errors give file and line, never content (see config-file.ts).
      const profile = readConfigProfile(
        options.path ?? process.env.OCI_CONFIG_FILE ?? defaultConfigFile(),
        options.profile ?? "DEFAULT",
      );
      const key = readCredentialFile(profile.keyFile, "API signing key file", "auth.path");
      const keyId = `${profile.tenancy}/${profile.user}/${profile.fingerprint}`;
      provider = {
        getKeyId: async () => keyId,
        getPrivateKey: () => key,
        getPassphrase: () => profile.passPhrase ?? null,
      };
      configRegion = profile.region;
      principal = "user";
    } else if (options.kind === "resource-principal") {
      const sdk = await loadSdk();
      provider = sdk.ResourcePrincipalAuthenticationDetailsProvider.builder();
    } else {
      // Structurally an SDK provider: the signer calls only these methods.
      provider = options.provider as AuthenticationDetailsProvider;
    }
  } catch (e) {
    if (e instanceof OciVnicError) throw e;
    throw new OciVnicError(
      "NOT_AUTHENTICATED",
      `cannot load ${options.kind} credentials: ${e instanceof Error ? e.message : String(e)}`,
      {},
      { cause: e },
    );
  }
  const regionOf = (): string | undefined => {
    if (configRegion !== undefined) return configRegion;
    const p = provider as { getRegion?: () => { regionId?: string } | undefined };
    try {
      return p.getRegion?.()?.regionId;
    } catch {
      return undefined;
    }
  };
  return {
    principal,
    prepare: async () => provider,
    invalidate: async () => false,
    region: async () => regionOf(),
    validUntil: () => undefined,
  };
}
