import { describe, expect, it } from "vitest";
import { sampleAgent } from "../test/sample-agent.js";
import { advertisedActions, escapeXml, renderMetadata } from "./metadata.js";

describe("renderMetadata", () => {
  const ocf11 = renderMetadata(sampleAgent);
  const full = renderMetadata(sampleAgent, { dialect: "ocf-1.1-full" });
  const legacy = renderMetadata(sampleAgent, { dialect: "legacy" });
  it("declares OCF 1.1 and the agent version, escaping text", () => {
    expect(ocf11).toMatch(
      /^<\?xml version="1.0"\?>\n<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd" \[\n<!ATTLIST parameter reloadable/,
    );
    expect(ocf11).toContain('<resource-agent name="sample" version="2.3.4">');
    expect(full).not.toContain("DOCTYPE");
    expect(ocf11).toContain("<version>1.1</version>");
    expect(full).toContain("<version>1.1</version>");
    expect(ocf11).toContain("Sample agent &lt;for&gt; tests &amp; checks");
    expect(escapeXml(`a"'<>&`)).toBe("a&quot;&apos;&lt;&gt;&amp;");
  });

  it("advertises reload-agent and reloadable parameters by default (what Pacemaker reloads with)", () => {
    expect(ocf11).toContain('<parameter name="count" unique="0" required="0" reloadable="1">');
    expect(ocf11).toContain('<action name="reload-agent" timeout="20s" />');
    expect(ocf11).toContain('unique-group="where"');
    // What ra-api-1.dtd cannot declare on top is folded into text.
    expect(ocf11).not.toMatch(/<deprecated>|type="select"/);
    expect(ocf11).toContain("Allowed values: fast, safe.");
    expect(ocf11).toContain("Mode (deprecated, use strategy)");
  });

  it("the legacy dialect is OCF 1.0: no reload-agent, no reloadable, extras folded into text", () => {
    expect(legacy).toMatch(
      /^<\?xml version="1.0"\?>\n<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">\n/,
    );
    expect(legacy).toContain("<version>1.0</version>");
    expect(legacy).not.toMatch(/reloadable|unique-group|<deprecated>|type="select"|reload-agent/);
    expect(legacy).toContain("Allowed values: fast, safe.");
    expect(legacy).toContain("Mode (deprecated, use strategy)");
    expect(legacy).toContain("Unique in combination with: nic.");
    expect(legacy).toMatch(/<parameter name="ip" unique="1" required="1">/);
    expect(renderMetadata(sampleAgent, { dialect: "strict" })).toBe(legacy);
  });

  it("emits every OCF 1.1 element in the ocf-1.1-full dialect", () => {
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
    expect(ocf11).toContain('<action name="monitor" timeout="30s" interval="15s" depth="0" />');
    expect(ocf11).toContain('<action name="monitor" timeout="60s" interval="60s" depth="10" />');
    expect(ocf11).toContain('<action name="meta-data" timeout="5s" />');
  });
});
