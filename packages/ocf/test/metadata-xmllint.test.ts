import { describe, expect, it } from "vitest";
import { renderMetadata, runAgent } from "../src/index.js";
import { sampleAgent } from "./sample-agent.js";
import { schemas, xmllint } from "./xmllint.js";

describe("meta-data against the real schemas (xmllint)", () => {
  it("strict meta-data validates against ra-api-1.dtd", async () => {
    const result = await xmllint(renderMetadata(sampleAgent), schemas.dtd);
    expect(result.code, result.output).toBe(0);
    expect(result.output).not.toMatch(/validity error|does not validate/);
  });

  it("strict meta-data validates against resource-agents' metadata.rng", async () => {
    const result = await xmllint(renderMetadata(sampleAgent), schemas.rng);
    expect(result.code, result.output).toBe(0);
  });

  it("ocf-1.1 meta-data validates against pcs' OCF 1.1 schema but not the DTD", async () => {
    const full = renderMetadata(sampleAgent, { dialect: "ocf-1.1" });
    const pcs = await xmllint(full, schemas.pcs11);
    expect(pcs.code, pcs.output).toBe(0);
    expect((await xmllint(full, schemas.dtd)).code).not.toBe(0);
  });

  it("strict meta-data passes ocf-tester's check (xmllint --valid through its DOCTYPE)", async () => {
    const result = await xmllint(renderMetadata(sampleAgent), [
      "--valid",
      "--path",
      "/usr/share/resource-agents",
    ]);
    expect(result.code, result.output).toBe(0);
  });

  it("the meta-data action needs no environment at all", async () => {
    let stdout = "";
    let stderr = "";
    const code = await runAgent(sampleAgent, {
      argv: ["meta-data"],
      env: {},
      stdout: {
        write: (text: string) => {
          stdout += text;
        },
      },
      stderr: {
        write: (text: string) => {
          stderr += text;
        },
      },
    });
    expect(code).toBe(0);
    expect(stderr).toBe("");
    expect((await xmllint(stdout, schemas.dtd)).code).toBe(0);
  });
});
