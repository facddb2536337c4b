import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, isAbsolute, resolve } from "node:path";
import { OciVnicError } from "./errors.js";

/** Largest OCI config or key file read (a config with many profiles is a few KB). */
export const MAX_CREDENTIAL_FILE_BYTES = 64 * 1024;

// O_NONBLOCK: opening a FIFO does not wait for a writer; fstat then refuses it unread.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;

/** One profile of an OCI config file, with `[DEFAULT]`'s values inherited. */
export interface ConfigProfile {
  tenancy: string;
  user: string;
  fingerprint: string;
  /** Absolute path of the API signing key. */
  keyFile: string;
  passPhrase: string | undefined;
  region: string | undefined;
}

function refuse(parameter: string, message: string, missing = false): OciVnicError {
  return new OciVnicError(missing ? "CREDENTIALS_MISSING" : "INVALID_PARAMETER", message, {
    parameter,
  });
}

/**
 * Reads a file holding credentials the way a root agent must: a regular file (not a FIFO or a
 * device, which could block or never end), owned by the agent's user, not writable by others,
 * at most 64 KiB. Errors name the file and `parameter`, never its content.
 */
export function readCredentialFile(path: string, what: string, parameter: string): string {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "error";
    throw refuse(parameter, `${what} ${path} cannot be opened (${code})`, code === "ENOENT");
  }
  try {
    const st = fstatSync(fd);
    const uid = process.geteuid?.() ?? 0;
    if (!st.isFile()) {
      throw refuse(parameter, `${what} ${path} is not a regular file`);
    }
    if (st.uid !== uid) {
      throw refuse(
        parameter,
        `${what} ${path} is owned by uid ${st.uid}, not by the agent's uid ${uid}`,
      );
    }
    if ((st.mode & 0o022) !== 0) {
      const mode = (st.mode & 0o777).toString(8);
      throw refuse(parameter, `${what} ${path} is writable by others (mode ${mode})`);
    }
    if (st.size > MAX_CREDENTIAL_FILE_BYTES) {
      throw refuse(
        parameter,
        `${what} ${path} is ${st.size} bytes, more than the ${MAX_CREDENTIAL_FILE_BYTES} allowed`,
      );
    }
    const buffer = Buffer.alloc(MAX_CREDENTIAL_FILE_BYTES + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > MAX_CREDENTIAL_FILE_BYTES) {
        throw refuse(parameter, `${what} ${path} grew past ${MAX_CREDENTIAL_FILE_BYTES} bytes`);
      }
    }
    return buffer.subarray(0, length).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

function expandHome(path: string, base: string): string {
  if (path === "~" || path.startsWith("~/")) return resolve(homedir(), path.slice(2));
  return isAbsolute(path) ? path : resolve(base, path);
}

/** The default config file, as the OCI CLI and SDKs look for it. */
export function defaultConfigFile(): string {
  return resolve(homedir(), ".oci", "config");
}

/**
 * Reads `profile` from the OCI config file at `path` (INI: `[PROFILE]` headers, `key=value`
 * lines, `#`/`;` comments; other profiles inherit `[DEFAULT]`). Errors give the file and line
 * number, never the line: the file may be anything a typo points at.
 */
export function readConfigProfile(path: string, profile: string): ConfigProfile {
  const text = readCredentialFile(path, "OCI config file", "auth.path");
  const sections = new Map<string, { line: number; values: Map<string, string> }>();
  let current: Map<string, string> | undefined;
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      const name = header[1]!.trim();
      const section = sections.get(name) ?? { line: index + 1, values: new Map() };
      sections.set(name, section);
      current = section.values;
      continue;
    }
    const eq = line.indexOf("=");
    if (eq <= 0 || current === undefined) {
      throw refuse(
        "auth.path",
        `OCI config file ${path} line ${index + 1}: expected a [PROFILE] header or key=value` +
          (current === undefined && eq > 0 ? " inside a profile" : ""),
      );
    }
    current.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  const chosen = sections.get(profile);
  if (!chosen) {
    throw refuse("auth.profile", `OCI config file ${path} has no profile [${profile}]`);
  }
  const defaults = sections.get("DEFAULT")?.values;
  const get = (key: string): string | undefined => {
    const value = chosen.values.get(key) ?? defaults?.get(key);
    return value === undefined || value === "" ? undefined : value;
  };
  const where = `profile [${profile}] of OCI config file ${path} (line ${chosen.line})`;
  const need = (key: string): string => {
    const value = get(key);
    if (value === undefined) throw refuse("auth.path", `${where} has no ${key}`);
    return value;
  };
  if (get("authentication_type") !== undefined) {
    throw refuse(
      "auth.path",
      `${where} sets authentication_type: only API-key profiles are read from a config file ` +
        '(use { kind: "instance-principal" } or { kind: "resource-principal" } instead)',
    );
  }
  for (const unsupported of ["security_token_file", "delegation_token_file"]) {
    if (get(unsupported) !== undefined) {
      throw refuse("auth.path", `${where} sets ${unsupported}: not supported, use an API key`);
    }
  }
  return {
    tenancy: need("tenancy"),
    user: need("user"),
    fingerprint: need("fingerprint"),
    keyFile: expandHome(need("key_file"), dirname(path)),
    passPhrase: get("pass_phrase"),
    region: get("region"),
  };
}
