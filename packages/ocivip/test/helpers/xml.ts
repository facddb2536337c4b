import { spawnSync } from "node:child_process";

/** xmllint's verdict on a meta-data document against one schema. */
export function xmllint(xml: string, schema: "dtd" | "rng"): { ok: boolean; output: string } {
  const args =
    schema === "dtd"
      ? ["--noout", "--dtdvalid", "/usr/share/resource-agents/ra-api-1.dtd", "-"]
      : ["--noout", "--relaxng", "/usr/share/resource-agents/metadata.rng", "-"];
  const res = spawnSync("xmllint", args, { input: xml, encoding: "utf8" });
  return { ok: res.status === 0, output: `${res.stdout}${res.stderr}` };
}
