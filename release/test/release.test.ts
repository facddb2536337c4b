import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dependencyClosure } from "../src/closure.js";
import { type LocalRegistry, startRegistry } from "../src/registry.js";
import { copyRepository, publicPackages, repoRoot, run, type WorkspacePackage } from "../src/workspace.js";

// The release path as a user meets it: every package goes through `changeset version` and
// `changeset publish` into a local registry (Verdaccio on loopback, no uplinks), and a fresh
// directory outside the repository installs from it with plain npm. Third-party packages come
// from this repository's own node_modules, published into the same registry.

const releaseDir = fileURLToPath(new URL("..", import.meta.url));
let tmp: string;
let registry: LocalRegistry;
let published: WorkspacePackage[];
let baseEnv: Record<string, string>;

function npm(args: string[], cwd: string, extra: Record<string, string> = {}): string {
  return run("npm", args, { cwd, env: registry.env(extra) });
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "ocfk-release-"));
  registry = await startRegistry(join(tmp, "registry"));
  // The store the machine's setup filled: installs in the copy are offline, from it.
  const store = run("pnpm", ["store", "path"], { cwd: repoRoot, env: process.env as Record<string, string> }).trim();
  baseEnv = registry.env({ CI: "true", npm_config_store_dir: store });
  const repo = join(tmp, "repo");
  copyRepository(repo);
  run("pnpm", ["install", "--offline", "--frozen-lockfile", "--reporter=silent"], { cwd: repo, env: baseEnv });
  run("pnpm", ["changeset", "version"], { cwd: repo, env: baseEnv });
  run("pnpm", ["build", "--output-logs=errors-only"], { cwd: repo, env: baseEnv });
  published = publicPackages(repo);

  // What users' installs need besides our packages, and the tools the fresh projects use.
  const closure = dependencyClosure(
    published.map((p) => p.dir),
    (name) => name.startsWith("@ocfkit/"),
    [
      { from: repo, name: "typescript" },
      { from: repo, name: "@types/node" },
      { from: repo, name: "tsx" },
      { from: releaseDir, name: "zod3" },
    ],
  );
  const byVersion = closure.sort((a, b) =>
    a.name === b.name
      ? a.version.localeCompare(b.version, undefined, { numeric: true })
      : a.name.localeCompare(b.name),
  );
  // One package name at a time (versions ascending, so "latest" ends on the highest).
  const groups = new Map<string, typeof byVersion>();
  for (const p of byVersion) groups.set(p.name, [...(groups.get(p.name) ?? []), p]);
  const names = [...groups.keys()];
  await Promise.all(
    Array.from({ length: 4 }, async (_, worker) => {
      for (let i = worker; i < names.length; i += 4) {
        for (const p of groups.get(names[i] as string) ?? []) await registry.publishDirectory(p.dir);
      }
    }),
  );

  run("pnpm", ["changeset", "publish", "--no-git-tag"], { cwd: repo, env: baseEnv });
}, 900_000);

afterAll(async () => {
  await registry?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe("release path", () => {
  it("changeset publish puts every package in the registry at its new version", async () => {
    expect(published.length).toBeGreaterThanOrEqual(6);
    for (const p of published) {
      expect(p.version, p.name).not.toBe("0.0.0");
      const info = JSON.parse(npm(["view", `${p.name}@${p.version}`, "--json"], tmp)) as {
        version: string;
        dependencies?: Record<string, string>;
      };
      expect(info.version).toBe(p.version);
      for (const range of Object.values(info.dependencies ?? {})) {
        expect(range, `${p.name} depends on a workspace range`).not.toMatch(/workspace:/);
      }
    }
  });
});

export { mkdirSync, readFileSync, writeFileSync, repoRoot };
