import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));
let script: string;
let dir: string;

function run(args: string[], stdin = "") {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      tsx,
      ["--conditions=@ocfkit/source", script, ...args],
      { cwd: packageDir, env: { PATH: process.env.PATH ?? "" } },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin);
  });
}

beforeAll(async () => {
  const readme = await readFile(join(packageDir, "README.md"), "utf8");
  const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error("README has no ts block");
  dir = await mkdtemp(join(tmpdir(), "fence-readme-"));
  // Inside the package so `@ocfkit/fence` resolves to itself.
  script = join(packageDir, `.readme-${process.pid}.ts`);
  await writeFile(script, block);
});
afterAll(async () => {
  await rm(script, { force: true });
  await rm(dir, { recursive: true, force: true });
});

describe("README's first example runs as pasted", () => {
  it("prints metadata, reports status and powers off from stdin options", async () => {
    const meta = await run(["-o", "metadata"]);
    expect(meta.code).toBe(0);
    expect(meta.stdout).toContain('<resource-agent name="fence_file"');
    await writeFile(join(dir, "node1"), "");
    expect(await run(["-o", "status", "-n", "node1", `--dir=${dir}`])).toMatchObject({
      code: 0,
      stdout: "Status: ON\n",
    });
    expect(await run([], `action=off\nplug=node1\ndir=${dir}\n`)).toMatchObject({
      code: 0,
      stdout: "Success: Powered OFF\n",
    });
    expect(existsSync(join(dir, "node1"))).toBe(false);
    expect(await run(["-o", "status", "-n", "node1", `--dir=${dir}`])).toMatchObject({
      code: 2,
      stdout: "Status: OFF\n",
    });
  }, 60_000);
});
