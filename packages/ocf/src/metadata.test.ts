import { describe, expect, it } from "vitest";
import { sampleAgent } from "../test/sample-agent.js";
import { advertisedActions, escapeXml, renderMetadata } from "./metadata.js";

describe("renderMetadata", () => {
  const strict = renderMetadata(sampleAgent);
  const full = renderMetadata(sampleAgent, { dialect: "ocf-1.1" });
  it("declares OCF 1.1 and the agent version, escaping text", () => {
    expect(strict).toMatch(
      /^<\?xml version="1.0"\?>\n<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">\n<resource-agent name="sample" version="2.3.4">/,
    );
    expect(full).not.toContain("DOCTYPE");
    expect(strict).toContain("<version>1.1</version>");
    expect(strict).toContain("Sample agent &lt;for&gt; tests &amp; checks");
    expect(escapeXml(`a"'<>&`)).toBe("a&quot;&apos;&lt;&gt;&amp;");
  });

  it("folds OCF 1.1 extras into text in the strict dialect", () => {
    expect(strict).not.toMatch(/reloadable|unique-group|<deprecated>|type="select"|reload-agent/);
    expect(strict).toContain("Allowed values: fast, safe.");
    expect(strict).toContain("Mode (deprecated, use strategy)");
    expect(strict).toContain("Unique in combination with: nic.");
    expect(strict).toMatch(/<parameter name="ip" unique="1" required="1">/);
  });

  it("emits every OCF 1.1 feature in the ocf-1.1 dialect", () => {
    expect(full).toContain('<parameter name="count" unique="0" required="0" reloadable="1">');
    expect(full).toContain('unique-group="where"');
    expect(full).toContain('<replaced-with name="strategy" />');
    expect(full).toContain('<content type="select" default="safe">');
    expect(full).toContain('<action name="reload-agent" timeout="20s" />');
  });

  it("lists implemented actions with defaults, plus validate-all and meta-data", () => {
    const names = advertisedActions(sampleAgent).map((a) => a.name);
    expect(names).toEqual([
      "start",
      "stop",
      "monitor",
      "monitor",
      "promote",
      "notify",
      "reload-agent",
      "demote",
      "validate-all",
      "meta-data",
    ]);
    expect(strict).toContain('<action name="monitor" timeout="30s" interval="15s" depth="0" />');
    expect(strict).toContain('<action name="monitor" timeout="60s" interval="60s" depth="10" />');
    expect(strict).toContain('<action name="meta-data" timeout="5s" />');
  });
});
