import { readFileSync } from "node:fs";

// Replaced at build time by tsup's `define` with package.json's version; absent when running the
// sources (tests, tsx), where package.json is read instead.
declare const __OCIVIP_VERSION__: string | undefined;

function packageVersion(): string {
  try {
    const text = readFileSync(new URL("../package.json", import.meta.url), "utf8");
    const { name, version } = JSON.parse(text) as { name?: unknown; version?: unknown };
    if (name === "@ocfkit/ocivip" && typeof version === "string") return version;
  } catch {
    // Not next to its package.json (a bundle without the define): say so rather than guess.
  }
  return "0.0.0-unknown";
}

/** The agent's version (package.json's), shown in meta-data and by `ocivip --version`. */
export const VERSION: string =
  typeof __OCIVIP_VERSION__ === "string" ? __OCIVIP_VERSION__ : packageVersion();
