import type { Sdk } from "./sdk.js";

/**
 * Loads the SDK parts. In the sources this imports src/sdk-parts.ts (and through it the SDK's
 * files in node_modules); the package build replaces this module with one that requires the
 * bundle `dist/sdk.cjs` (see tsup.config.ts): `require` skips the ES module loader's scan of a
 * 1 MB CommonJS file, about 100 ms.
 */
export function loadSdkParts(): Promise<Sdk> {
  return import("./sdk-parts.js");
}
