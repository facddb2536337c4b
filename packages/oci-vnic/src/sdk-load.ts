import type { PrivateDir } from "@ocfkit/ocf/files";
import type { Sdk } from "./sdk.js";

/**
 * Loads the SDK parts. In the sources this imports src/sdk-parts.ts (and through it the SDK's
 * files in node_modules); the package build replaces this module with src/sdk-load-dist.ts,
 * which requires the bundle `dist/sdk.cjs` (with a V8 code cache in `codeCache`, if given).
 */
export function loadSdkParts(_codeCache?: PrivateDir): Promise<Sdk> {
  return import("./sdk-parts.js");
}
