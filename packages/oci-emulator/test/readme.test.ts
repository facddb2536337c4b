import { execFile } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

it("runs the README's first example as pasted", async () => {
  const readme = await readFile(join(packageDir, "README.md"), "utf8");
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(code).toContain("startEmulator");
  // Inside the package so `@ocfkit/oci-emulator` resolves to itself (package self-reference).
  const file = join(packageDir, `.readme-example-${process.pid}.mts`);
  await writeFile(file, code!);
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--conditions=@ocfkit/source", "--import", "tsx", file],
      { cwd: packageDir, timeout: 60_000 },
    );
    const lines = stdout.split("\n");
    expect(lines[0]).toBe("true");
    expect(lines[1]).toBe("429 TooManyRequests");
    expect(stdout).toContain("operation: 'GetVnic'");
    expect(stdout).toContain("principal: 'instance:node1'");
  } finally {
    await rm(file, { force: true });
  }
});
