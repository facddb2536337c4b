import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { schemas, xmllint } from "./xmllint.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));
let script: string;
let rscTmp: string;

function run(action: string, env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      tsx,
      ["--conditions=@ocfkit/source", script, action],
      {
        cwd: packageDir,
        env: {
          PATH: process.env.PATH ?? "",
          HA_RSCTMP: rscTmp,
          OCF_RESOURCE_INSTANCE: "hi",
          ...env,
        },
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  const readme = await readFile(join(packageDir, "README.md"), "utf8");
  const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error("README has no ts block");
  rscTmp = await mkdtemp(join(tmpdir(), "ocf-readme-"));
  // Inside the package so `@ocfkit/ocf` resolves to itself and `zod` to its dependency.
  script = join(packageDir, `.readme-${process.pid}.mts`);
  await writeFile(script, block);
});
afterAll(async () => {
  await rm(script, { force: true });
  await rm(rscTmp, { recursive: true, force: true });
});

describe("README's first example runs as pasted", () => {
  it("prints valid meta-data and runs start/monitor/stop and validate-all", async () => {
    const meta = await run("meta-data", { OCF_RESOURCE_INSTANCE: "" });
    expect(meta.code).toBe(0);
    expect((await xmllint(meta.stdout, schemas.ocfTester)).code).toBe(0);
    expect((await xmllint(meta.stdout, schemas.pcs11)).code).toBe(0);
    expect((await run("start")).code).toBe(0);
    expect((await run("monitor")).code).toBe(0);
    expect((await run("stop")).code).toBe(0);
    expect((await run("monitor")).code).toBe(7);
    const bad = await run("validate-all", { OCF_RESKEY_repeat: "abc" });
    expect(bad.code).toBe(6);
    expect(bad.stderr).toContain(
      'ocf-exit-reason:parameter "repeat": expected an integer, got "abc"',
    );
  }, 60_000);
});
