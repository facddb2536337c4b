import { describe, expect, it } from "vitest";
import { renderMetadata, runAgent } from "../src/index.js";
import { sampleAgent } from "./sample-agent.js";
import { schemas, xmllint } from "./xmllint.js";

describe("meta-data against the real schemas (xmllint)", () => {
  it("default (ocf-1.1) meta-data validates against pcs' OCF 1.1 schema", async () => {
    const result = await xmllint(renderMetadata(sampleAgent), schemas.pcs11);
    expect(result.code, result.output).toBe(0);
  });

  it("default meta-data passes ocf-tester's check (xmllint --valid: ra-api-1.dtd + its internal subset)", async () => {
    const xml = renderMetadata(sampleAgent);
    const result = await xmllint(xml, schemas.ocfTester);
    expect(result.code, result.output).toBe(0);
    // The external DTD alone refuses it: the internal subset is what admits reload-agent.
    expect((await xmllint(xml, schemas.dtd)).code).not.toBe(0);
    // ...and it still checks: an action name the agent does not have is refused.
    const bogus = xml.replace('<action name="stop"', '<action name="bogus"');
    expect((await xmllint(bogus, schemas.ocfTester)).code).not.toBe(0);
  });

  it("legacy meta-data validates against ra-api-1.dtd, metadata.rng and ocf-tester's check", async () => {
    const xml = renderMetadata(sampleAgent, { dialect: "legacy" });
    for (const schema of [schemas.dtd, schemas.rng, schemas.ocfTester]) {
      const result = await xmllint(xml, schema);
      expect(result.code, result.output).toBe(0);
      expect(result.output).not.toMatch(/validity error|does not validate/);
    }
  });

  it("ocf-1.1-full meta-data validates against pcs' OCF 1.1 schema but not the DTD", async () => {
    const full = renderMetadata(sampleAgent, { dialect: "ocf-1.1-full" });
    const pcs = await xmllint(full, schemas.pcs11);
    expect(pcs.code, pcs.output).toBe(0);
    expect((await xmllint(full, schemas.dtd)).code).not.toBe(0);
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
    expect((await xmllint(stdout, schemas.ocfTester)).code).toBe(0);
    expect((await xmllint(stdout, schemas.pcs11)).code).toBe(0);
  });
});
