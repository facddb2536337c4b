import { existsSync, readFileSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";

/** One installed third-party package: where its files are, and what it is. */
export interface InstalledPackage {
  readonly name: string;
  readonly version: string;
  readonly dir: string;
}

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

function manifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;
}

/** Node's lookup: `<dir>/node_modules/<name>`, then each parent's, as the package would load it. */
function locate(from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return realpathSync(candidate);
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Every package (not ours: `skip` names) that the packages in `roots` load at run time, with the
 * installed directory it came from: what a user's `npm install` must find in the registry.
 * Optional dependencies missing here (other platforms' binaries) are left out.
 */
export function dependencyClosure(
  roots: readonly string[],
  skip: (name: string) => boolean,
  extra: readonly { readonly from: string; readonly name: string }[] = [],
): InstalledPackage[] {
  const seen = new Map<string, InstalledPackage>();
  const queue: { from: string; name: string; required: boolean }[] = [];
  const enqueue = (dir: string): void => {
    const m = manifest(dir);
    const optionalPeers = new Set(
      Object.entries(m.peerDependenciesMeta ?? {})
        .filter(([, meta]) => meta.optional)
        .map(([name]) => name),
    );
    for (const name of Object.keys(m.dependencies ?? {}))
      queue.push({ from: dir, name, required: true });
    for (const name of Object.keys(m.optionalDependencies ?? {}))
      queue.push({ from: dir, name, required: false });
    for (const name of Object.keys(m.peerDependencies ?? {})) {
      queue.push({ from: dir, name, required: !optionalPeers.has(name) });
    }
  };
  for (const root of roots) enqueue(root);
  for (const { from, name } of extra) queue.push({ from, name, required: true });
  while (queue.length > 0) {
    const { from, name, required } = queue.shift() as (typeof queue)[number];
    if (skip(name)) continue;
    const dir = locate(from, name);
    if (!dir) {
      if (required) throw new Error(`${name} (needed by ${from}) is not installed`);
      continue;
    }
    const m = manifest(dir);
    const key = `${m.name}@${m.version}`;
    if (seen.has(key)) continue;
    seen.set(key, { name: m.name, version: m.version, dir });
    enqueue(dir);
  }
  return [...seen.values()];
}
