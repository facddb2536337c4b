import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dependencyClosure } from "../src/closure.js";
import { type LocalRegistry, startRegistry } from "../src/registry.js";
import {
  copyRepository,
  publicPackages,
  repoRoot,
  run,
  type WorkspacePackage,
} from "../src/workspace.js";

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
  const store = run("pnpm", ["store", "path"], {
    cwd: repoRoot,
    env: process.env as Record<string, string>,
  }).trim();
  baseEnv = registry.env({ CI: "true", npm_config_store_dir: store });
  const repo = join(tmp, "repo");
  copyRepository(repo);
  run("pnpm", ["install", "--offline", "--frozen-lockfile", "--reporter=silent"], {
    cwd: repo,
    env: baseEnv,
  });
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
        for (const p of groups.get(names[i] as string) ?? [])
          await registry.publishDirectory(p.dir);
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

/** The first fenced block of `lang` in a Markdown file. */
function firstBlock(file: string, lang: string): string {
  const text = readFileSync(file, "utf8");
  const block = new RegExp(`\`\`\`${lang}\n([\\s\\S]*?)\`\`\``).exec(text)?.[1];
  if (!block) throw new Error(`${file} has no ${lang} block`);
  return block;
}

describe("a user, in a fresh directory outside the repository", () => {
  it("npm install -g @ocfkit/ocivip @ocfkit/oci-emulator, then the ocivip README's recipe verbatim", () => {
    const home = join(tmp, "user-global");
    const prefix = join(tmp, "global-prefix");
    mkdirSync(home, { recursive: true });
    const env = { npm_config_prefix: prefix };
    npm(["install", "-g", "@ocfkit/ocivip", "@ocfkit/oci-emulator"], home, env);
    const recipe = firstBlock(join(repoRoot, "packages/ocivip/README.md"), "sh");
    expect(recipe).toContain("npm install -g @ocfkit/ocivip @ocfkit/oci-emulator");
    // The recipe's own first line installs; it ran above against the local registry.
    const body = recipe.replace(/^npm install -g .*$/m, "");
    const out = run("bash", ["-c", body], {
      cwd: home,
      env: registry.env({ PATH: `${join(prefix, "bin")}:${process.env.PATH ?? ""}` }),
      timeoutMs: 120_000,
    });
    expect(out).toMatch(/^start: exit 0$/m);
    expect(out).toMatch(/ens3\S*\s+UP\s+192\.0\.2\.11\/24 192\.0\.2\.100\//);
    expect(out.match(/^monitor: exit 0$/gm)).toHaveLength(1);
    expect(out).toMatch(/^stop: exit 0$/m);
    expect(out).toMatch(/^monitor: exit 7$/m);
  }, 600_000);

  it("a strict TypeScript project (no skipLibCheck) imports every package, builds and tests the guide's agent", () => {
    const dir = join(tmp, "ts-project");
    mkdirSync(join(dir, "src"), { recursive: true });
    mkdirSync(join(dir, "test"), { recursive: true });
    npm(["init", "-y"], dir);
    npm(["install", ...published.map((p) => p.name), "zod", "typescript", "@types/node@20"], dir);
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: "nodenext",
          moduleResolution: "nodenext",
          target: "es2022",
          outDir: "dist",
          rootDir: ".",
          types: ["node"],
        },
        include: ["src", "test"],
      }),
    );
    writeFileSync(
      join(dir, "src/all.ts"),
      `${published.map((p, i) => `import * as p${i} from "${p.name}";`).join("\n")}
import * as testing from "@ocfkit/ocf/testing";
export const exported = [${published.map((_, i) => `p${i}`).join(", ")}, testing].map((m) => Object.keys(m).length);
`,
    );
    // The guide's example agent (examples/dummy-agent): the definition, and the executable's entry.
    writeFileSync(
      join(dir, "src/agent.ts"),
      readFileSync(join(repoRoot, "examples/dummy-agent/src/agent.ts")),
    );
    writeFileSync(
      join(dir, "src/main.ts"),
      readFileSync(join(repoRoot, "examples/dummy-agent/src/main.ts")),
    );
    writeFileSync(
      join(dir, "test/agent.test.ts"),
      `import { test } from "node:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OcfExit } from "@ocfkit/ocf";
import { assertOcfResult, runAction, runAgentProcess } from "@ocfkit/ocf/testing";
import { dummyAgent } from "../src/agent.js";
import { exported } from "../src/all.js";

test("every package exports something", () => {
  if (exported.some((n) => n === 0)) throw new Error(\`an empty package: \${exported}\`);
});

test("the agent, in process and as a process", async () => {
  const dir = mkdtempSync(join(tmpdir(), "user-agent-"));
  const state = join(dir, "state");
  assertOcfResult(await runAction(dummyAgent, "monitor", { params: { state } }), { exitCode: OcfExit.NOT_RUNNING });
  assertOcfResult(await runAction(dummyAgent, "start", { params: { state } }), { exitCode: OcfExit.SUCCESS });
  assertOcfResult(await runAction(dummyAgent, "monitor", { params: { state } }), { exitCode: OcfExit.SUCCESS });
  assertOcfResult(await runAction(dummyAgent, "validate-all", { params: { op_sleep: "abc" } }), {
    exitCode: OcfExit.ERR_CONFIGURED,
    exitReason: /op_sleep/,
  });
  const probe = await runAgentProcess(process.execPath, "monitor", {
    args: [join(import.meta.dirname, "../src/main.js")],
    params: { state: join(dir, "other") },
    meta: { interval: 0 },
    rscTmp: dir,
  });
  assertOcfResult(probe, { exitCode: OcfExit.NOT_RUNNING });
});
`,
    );
    writeFileSync(
      join(dir, "package.json"),
      JSON.stringify({
        ...JSON.parse(readFileSync(join(dir, "package.json"), "utf8")),
        type: "module",
      }),
    );
    run(join(dir, "node_modules/.bin/tsc"), ["-p", "."], { cwd: dir, env: registry.env() });
    const out = run(process.execPath, ["--test", "dist/test/"], { cwd: dir, env: registry.env() });
    expect(out).toMatch(/# pass 2/);
    expect(out).toMatch(/# fail 0/);
  }, 600_000);

  it("the @ocfkit/ocf README's hello agent runs with npx tsx in a default npm project", () => {
    const dir = join(tmp, "hello");
    mkdirSync(dir, { recursive: true });
    npm(["init", "-y"], dir);
    npm(["install", "@ocfkit/ocf", "tsx"], dir);
    const block = firstBlock(join(repoRoot, "packages/ocf/README.md"), "ts");
    const file = /^\/\/ (\S+\.mts)/.exec(block)?.[1];
    expect(file).toBeDefined();
    writeFileSync(join(dir, file as string), block);
    const env = registry.env({ HA_RSCTMP: dir, OCF_RESOURCE_INSTANCE: "hi" });
    const tsx = join(dir, "node_modules/.bin/tsx");
    expect(run(tsx, [file as string, "meta-data"], { cwd: dir, env })).toContain("<resource-agent");
    run(tsx, [file as string, "start"], { cwd: dir, env });
    run(tsx, [file as string, "monitor"], { cwd: dir, env });
    const bad = spawnSync(tsx, [file as string, "validate-all"], {
      cwd: dir,
      env: { ...env, OCF_RESKEY_repeat: "abc" },
      encoding: "utf8",
    });
    expect(bad.status).toBe(6);
    expect(bad.stderr).toContain('ocf-exit-reason:parameter "repeat"');
  }, 300_000);

  it("a project pinned to zod 3 gets an install-time conflict naming zod, not a broken agent", () => {
    const dir = join(tmp, "zod3");
    mkdirSync(dir, { recursive: true });
    npm(["init", "-y"], dir);
    npm(["install", "zod@3"], dir);
    const result = spawnSync("npm", ["install", "@ocfkit/ocf"], {
      cwd: dir,
      env: registry.env(),
      encoding: "utf8",
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/ERESOLVE/);
    expect(result.stderr).toMatch(/peer zod@"\^4/);
  }, 300_000);
});
