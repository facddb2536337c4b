import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The schemas meta-data must satisfy. */
export const schemas = {
  dtd: ["--dtdvalid", "/usr/share/resource-agents/ra-api-1.dtd"],
  rng: ["--relaxng", "/usr/share/resource-agents/metadata.rng"],
  pcs11: ["--relaxng", "/usr/share/pcs/data/ocf-1.1.rng"],
  /** What ocf-tester runs: `xmllint --valid` through the document's DOCTYPE (ra-api-1.dtd). */
  ocfTester: ["--valid", "--path", "/usr/share/resource-agents"],
} as const;

/** Validates XML text with the real xmllint; resolves to its exit code and output. */
export async function xmllint(
  xml: string,
  args: readonly string[],
): Promise<{ code: number; output: string }> {
  const dir = await mkdtemp(join(tmpdir(), "ocf-xmllint-"));
  try {
    const file = join(dir, "meta-data.xml");
    await writeFile(file, xml);
    return await new Promise((resolve) => {
      execFile("xmllint", ["--noout", ...args, file], (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, output: stdout + stderr });
      });
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
