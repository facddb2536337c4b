import { spawn } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

// The README's first block must run as pasted (against the emulator it starts itself).
const pkgDir = fileURLToPath(new URL("..", import.meta.url));

it("README example runs and prints what its comments say", async () => {
  const readme = await readFile(join(pkgDir, "README.md"), "utf8");
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(code).toContain("startEmulator");
  const expected = ["created", "moved", "true", "not-ours", "24", "deleted"];
  for (const value of expected) expect(code).toContain(`// ${value}`);
  const file = join(pkgDir, `.readme-example-${process.pid}.ts`);
  await writeFile(file, code!);
  try {
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ["--import", "tsx", "--conditions=@ocfkit/source", file],
        {
          cwd: pkgDir,
        },
      );
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => {
        stdout += d.toString();
      });
      child.stderr.on("data", (d: Buffer) => {
        stderr += d.toString();
      });
      child.on("error", reject);
      child.on("exit", (status) =>
        status === 0 ? resolve(stdout) : reject(new Error(`exit ${status}: ${stderr}`)),
      );
    });
    expect(out.trim().split("\n")).toEqual(expected);
  } finally {
    await rm(file, { force: true });
  }
}, 60_000);
