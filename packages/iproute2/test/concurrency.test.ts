import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createIproute2 } from "../src/index.js";
import { createLab, ip, type Lab } from "./netns.js";

const run = promisify(execFile);
const tsxCli = createRequire(new URL("../../../package.json", import.meta.url)).resolve("tsx/cli");
const child = new URL("./concurrent-add.ts", import.meta.url).pathname;

let lab: Lab;

beforeAll(async () => {
  lab = await createLab();
  await ip("-n", lab.node, "addr", "add", "192.0.2.11/24", "dev", lab.nodeDev);
});

afterAll(async () => {
  await lab?.destroy();
});

/** Starts `n` separate processes that all add the same address at the same instant. */
async function raceAdds(n: number, address: string, prefix: number): Promise<unknown[]> {
  const startAt = String(Date.now() + 4_000);
  const args = [tsxCli, child, lab.node, lab.nodeDev, address, String(prefix), startAt];
  const outputs = await Promise.all(
    Array.from({ length: n }, () => run(process.execPath, args, { timeout: 30_000 })),
  );
  return outputs.map(({ stdout }) => JSON.parse(stdout.trim()) as unknown);
}

it("separate processes adding the same address at once: all succeed, exactly one changes", async () => {
  for (const [address, prefix] of [
    ["192.0.2.120", 24],
    ["2001:db8:0:1::120", 64],
  ] as const) {
    const results = await raceAdds(3, address, prefix);
    expect(results).toHaveLength(3);
    expect(results.filter((r) => (r as { changed?: boolean }).changed === true)).toHaveLength(1);
    expect(results.filter((r) => (r as { changed?: boolean }).changed === false)).toHaveLength(2);
    const listed = await createIproute2({ netns: lab.node }).listAddresses({ dev: lab.nodeDev });
    expect(listed.filter((a) => a.address === address)).toHaveLength(1);
  }
}, 60_000);
