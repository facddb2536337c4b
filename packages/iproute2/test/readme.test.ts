import { execFile } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { ip } from "./netns.js";

const run = promisify(execFile);
const packageDir = new URL("../", import.meta.url);
// tsx is a root dev tool: resolve it from the workspace root.
const tsxCli = createRequire(new URL("../../../package.json", import.meta.url)).resolve("tsx/cli");

it("the README's first code block runs as pasted and prints what its comments say", async () => {
  const readme = await readFile(new URL("README.md", packageDir), "utf8");
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(code).toContain('from "@ocfkit/iproute2"');
  // Inside the package so that "@ocfkit/iproute2" resolves to this package (self-reference).
  const file = new URL(`test/.readme-example-${process.pid}.ts`, packageDir);
  await writeFile(file, code ?? "");
  try {
    const { stdout } = await run(
      process.execPath,
      [tsxCli, "--conditions=@ocfkit/source", file.pathname],
      {
        cwd: packageDir.pathname,
        timeout: 60_000,
      },
    );
    expect(stdout.trim().split("\n")).toEqual([
      "vnic0 vnic0 24",
      "{ changed: true }",
      "{ changed: false }",
      "2",
      "{ changed: true }",
      "{ changed: false }",
    ]);
  } finally {
    await rm(file, { force: true });
  }
  // The example deletes its namespace, even though it ran as a separate process.
  expect(await ip("netns", "list")).not.toMatch(/ocfk-ipr-readme-/);
}, 90_000);
