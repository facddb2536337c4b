import { spawnSync } from "node:child_process";

const SCHEMAS = {
  /** ra-api-1.dtd alone (OCF 1.0). */
  dtd: ["--dtdvalid", "/usr/share/resource-agents/ra-api-1.dtd"],
  /** resource-agents' metadata.rng (OCF 1.0). */
  rng: ["--relaxng", "/usr/share/resource-agents/metadata.rng"],
  /** pcs' OCF 1.1 schema, what pcs checks an OCF 1.1 agent's meta-data with. */
  pcs11: ["--relaxng", "/usr/share/pcs/data/ocf-1.1.rng"],
  /** What ocf-tester runs: `xmllint --valid` through the document's own DOCTYPE. */
  ocfTester: ["--valid", "--path", "/usr/share/resource-agents"],
} as const;

/** xmllint's verdict on a meta-data document against one schema. */
export function xmllint(
  xml: string,
  schema: keyof typeof SCHEMAS,
): { ok: boolean; output: string } {
  const res = spawnSync("xmllint", ["--noout", ...SCHEMAS[schema], "-"], {
    input: xml,
    encoding: "utf8",
  });
  return { ok: res.status === 0, output: `${res.stdout}${res.stderr}` };
}
