import { existsSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { libraryBuilds } from "../builds.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return Math.floor(stat.mtimeMs);
  return readdirSync(path)
    .map((name) => newestMtime(join(path, name)))
    .reduce((a, b) => Math.max(a, b), 0);
}

/**
 * Builds the package as `pnpm build` does (no declarations) into node_modules/.cache, once per
 * source change, so tests run what users install; returns the output directory.
 */
export async function ensureLibraryBuilt(): Promise<string> {
  const stamp = [join(packageDir, "src"), join(packageDir, "builds.ts")]
    .map(newestMtime)
    .reduce((a, b) => Math.max(a, b));
  const out = join(packageDir, "node_modules", ".cache", "oci-vnic-test", `build-${stamp}`);
  if (existsSync(join(out, "sdk.cjs"))) return out;
  const temporary = `${out}.${process.pid}.${Date.now()}`;
  const { build } = await import("tsup");
  for (const options of libraryBuilds(packageDir, temporary, false)) {
    await build({ ...options, config: false, silent: true });
  }
  try {
    renameSync(temporary, out);
  } catch {
    rmSync(temporary, { recursive: true, force: true });
  }
  return out;
}
