import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** xmllint arguments for the schemas OCF meta-data is checked against. */
export const schemas = {
  /** ra-api-1.dtd alone (OCF 1.0: no reload-agent, no reloadable). */
  dtd: ["--dtdvalid", "/usr/share/resource-agents/ra-api-1.dtd"],
  /** resource-agents' metadata.rng (OCF 1.0). */
  rng: ["--relaxng", "/usr/share/resource-agents/metadata.rng"],
  /** pcs' OCF 1.1 schema. */
  pcs11: ["--relaxng", "/usr/share/pcs/data/ocf-1.1.rng"],
  /** What ocf-tester runs: `xmllint --valid` through the document's DOCTYPE. */
  ocfTester: ["--valid", "--path", "/usr/share/resource-agents"],
} as const;

/** Runs the real xmllint on `xml`; resolves to its exit code and output. */
export async function xmllint(
  xml: string,
  args: readonly string[],
): Promise<{ code: number; output: string }> {
  const dir = await mkdtemp(join(tmpdir(), "dummy-xmllint-"));
  try {
    const file = join(dir, "meta-data.xml");
    await writeFile(file, xml);
    return await new Promise((resolve) => {
      execFile("xmllint", ["--noout", ...args, file], (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr });
      });
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
