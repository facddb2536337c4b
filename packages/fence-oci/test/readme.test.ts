import { execFile } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));
let script: string;

beforeAll(async () => {
  const readme = await readFile(join(packageDir, "README.md"), "utf8");
  const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error("README has no ts block");
  // Inside the package so its own name and its devDependency (the emulator) resolve.
  script = join(packageDir, `.readme-${process.pid}.ts`);
  await writeFile(script, block);
});
afterAll(async () => {
  await rm(script, { force: true });
});

describe("README's first example runs as pasted", () => {
  it("fences node2 through the emulator: on, off, status off, on", async () => {
    const r = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(
        tsx,
        ["--conditions=@ocfkit/source", script],
        { cwd: packageDir, env: { PATH: process.env.PATH ?? "" } },
        (error, stdout) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout }),
      );
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        "Status: ON",
        "status: 0",
        "Success: Powered OFF",
        "off: 0",
        "Status: OFF",
        "status: 2",
        "Success: Powered ON",
        "on: 0",
        "",
      ].join("\n"),
    );
  }, 60_000);
});
