import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

it("the README's first code block runs as pasted and prints what its comments say", async () => {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const code = /```ts\n([\s\S]*?)```/.exec(readme)![1]!;
  // Inside the package so "@ocfkit/corosync" resolves to itself, as it would for a user.
  const file = fileURLToPath(new URL(`../readme-demo-${process.pid}.mts`, import.meta.url));
  await writeFile(file, code);
  try {
    const { stdout } = await promisify(execFile)(
      "npx",
      ["tsx", "--conditions=@ocfkit/source", file],
      {
        cwd: fileURLToPath(new URL("..", import.meta.url)),
      },
    );
    const lines = stdout.trimEnd().split("\n");
    expect(lines.slice(0, 4)).toEqual(["0", "256", "true", "3"]);
    expect(lines[4]).toBe(
      'corosync.conf:7:5: warning: unknown key "tokne" in totem; did you mean "token"? (corosync ignores it) [unknown-key]',
    );
    expect(lines[5]).toMatch(/^transport udpu became knet: the only corosync 3 transport/);
    expect(lines[6]).toBe("aes256");
  } finally {
    await rm(file, { force: true });
  }
});
