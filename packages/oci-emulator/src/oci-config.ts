import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { UserKey } from "./context.js";
import { EmulatorError } from "./errors.js";

/** Paths of the OCI config file and key that `Emulator.writeOciConfig` wrote. */
export interface OciConfigFiles {
  configFile: string;
  keyFile: string;
  profile: "DEFAULT";
}

/** Writes an `~/.oci/config`-style file with a `[DEFAULT]` profile and the user's key into `dir`. */
export async function writeOciConfigFiles(
  dir: string,
  input: { user: UserKey | undefined; tenancyId: string; region: string },
): Promise<OciConfigFiles> {
  const { user } = input;
  if (!user?.privateKeyPem) {
    throw new EmulatorError(
      "CONFIG_WRITE_FAILED",
      "the scenario has no API user whose key the emulator generated: add a user without publicKeyPem",
    );
  }
  const root = resolve(dir);
  const keyFile = join(root, "oci_api_key.pem");
  const configFile = join(root, "config");
  const text = [
    "[DEFAULT]",
    `user=${user.id}`,
    `fingerprint=${user.fingerprint}`,
    `tenancy=${input.tenancyId}`,
    `region=${input.region}`,
    `key_file=${keyFile}`,
    "",
  ].join("\n");
  try {
    await mkdir(root, { recursive: true, mode: 0o700 });
    await writeFile(keyFile, user.privateKeyPem, { mode: 0o600 });
    await writeFile(configFile, text, { mode: 0o600 });
  } catch (cause) {
    throw new EmulatorError(
      "CONFIG_WRITE_FAILED",
      `cannot write the OCI config into ${root}: ${String(cause)}`,
      { cause },
    );
  }
  return { configFile, keyFile, profile: "DEFAULT" };
}
