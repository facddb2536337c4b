import { readFileSync } from "node:fs";

// Replaced at build time by tsup's `define` with package.json's version; when running the sources
// (tests, tsx) package.json, one directory up from src/ as from dist/, is read instead.
declare const __OCFKIT_COROSYNC_VERSION__: string | undefined;

function packageVersion(): string {
  try {
    const text = readFileSync(new URL("../package.json", import.meta.url), "utf8");
    const { name, version } = JSON.parse(text) as { name?: unknown; version?: unknown };
    if (name === "@ocfkit/corosync" && typeof version === "string") return version;
  } catch {
    // Not beside its package.json: say so rather than guess.
  }
  return "0.0.0-unknown";
}

/** The package version `ocfkit-corosync --version` prints. */
export const VERSION: string =
  typeof __OCFKIT_COROSYNC_VERSION__ === "string" ? __OCFKIT_COROSYNC_VERSION__ : packageVersion();
