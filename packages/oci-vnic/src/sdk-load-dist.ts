import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { PrivateDir } from "@ocfkit/ocf/files";
import { requireWithCodeCache } from "./code-cache.js";
import type { Sdk } from "./sdk.js";

/**
 * The built package's `loadSdkParts` (the build puts it in place of sdk-load.ts): requires the
 * bundle `dist/sdk.cjs` beside it; `require` skips the ES module loader's scan of a 450 KB
 * CommonJS file. With a private cache directory, the bundle is compiled with a V8 code cache
 * kept there.
 */
export async function loadSdkParts(codeCache?: PrivateDir): Promise<Sdk> {
  const file = fileURLToPath(new URL("./sdk.cjs", import.meta.url));
  if (codeCache !== undefined) return requireWithCodeCache(file, codeCache) as Sdk;
  return createRequire(import.meta.url)(file) as Sdk;
}
