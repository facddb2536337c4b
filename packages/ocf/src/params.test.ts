import { describe, expect, it } from "vitest";
import * as zm from "zod/mini";
import { sampleAgent } from "../test/sample-agent.js";
import { defineAgent } from "./agent.js";
import { ocfParam } from "./annotations.js";
import { ConfigurationError } from "./errors.js";
import { parseParameters } from "./parse-params.js";

const specs = sampleAgent.parameterSpecs();
const spec = (name: string) => specs.find((s) => s.name === name)!;
const parse = (env: Record<string, string>) =>
  parseParameters(sampleAgent.definition.parameters, specs, env);

describe("parameter specs", () => {
  it("infer OCF types, required, defaults and annotations", () => {
    expect(spec("ip")).toMatchObject({ type: "string", required: true, uniqueGroup: "ip" });
    expect(spec("count")).toMatchObject({
      type: "integer",
      required: false,
      default: "3",
      reloadable: true,
    });
    expect(spec("mode")).toMatchObject({
      type: "select",
      options: ["fast", "safe"],
      required: false,
    });
    expect(spec("mode").deprecated).toEqual({ replacedWith: ["strategy"], desc: "Use strategy." });
    expect(spec("strategy")).toMatchObject({ default: "safe", required: false });
    expect(spec("flag").type).toBe("boolean");
    expect(spec("token").secret).toBe(true);
    expect(spec("note")).toMatchObject({ shortdesc: "A note from .describe()", type: "string" });
  });

  it("work with zod/mini schemas", () => {
    const agent = defineAgent({
      name: "mini",
      version: "1",
      shortdesc: "mini",
      parameters: zm.object({
        n: ocfParam(zm.optional(zm.int()), { shortdesc: "N", default: 5 }),
        b: ocfParam(zm.boolean(), { shortdesc: "B" }),
      }),
      actions: {},
    });
    expect(agent.parameterSpecs().map((s) => [s.name, s.type, s.required])).toEqual([
      ["n", "integer", false],
      ["b", "boolean", true],
    ]);
  });

  it("parse plain numbers as numbers", async () => {
    const agent = defineAgent({
      name: "num",
      version: "1",
      shortdesc: "num",
      parameters: zm.object({ ratio: ocfParam(zm.number(), { shortdesc: "Ratio" }) }),
      actions: {},
    });
    const parse = (value: string) =>
      parseParameters(agent.definition.parameters, agent.parameterSpecs(), {
        OCF_RESKEY_ratio: value,
      });
    expect(agent.parameterSpecs()[0]?.type).toBe("string");
    await expect(parse("0.25")).resolves.toEqual({ ratio: 0.25 });
    await expect(parse("lots")).rejects.toThrow('parameter "ratio": expected a number, got "lots"');
  });

  it("reject parameter names OCF cannot carry", () => {
    const agent = defineAgent({
      name: "bad",
      version: "1",
      shortdesc: "bad",
      parameters: zm.object({ "no-dash": zm.string() }),
      actions: {},
    });
    expect(() => agent.parameterSpecs()).toThrow(/parameter name "no-dash"/);
  });
});

describe("parseParameters", () => {
  it("coerces, applies defaults and types the result", async () => {
    const params = await parse({
      OCF_RESKEY_ip: "192.0.2.10",
      OCF_RESKEY_flag: "on",
      OCF_RESKEY_mode: "fast",
      OCF_RESKEY_count: "",
    });
    expect(params).toEqual({
      ip: "192.0.2.10",
      count: 3,
      mode: "fast",
      strategy: "safe",
      flag: true,
    });
    const count: number = params.count;
    expect(count).toBe(3);
  });

  it("names the parameter and what is allowed", async () => {
    await expect(parse({})).rejects.toThrow(/parameter "ip" is required/);
    await expect(parse({ OCF_RESKEY_ip: "192.0.2.1", OCF_RESKEY_count: "abc" })).rejects.toThrow(
      /parameter "count": expected an integer, got "abc"/,
    );
    await expect(parse({ OCF_RESKEY_ip: "192.0.2.1", OCF_RESKEY_count: "0" })).rejects.toThrow(
      /parameter "count": .*>=1/,
    );
    await expect(
      parse({ OCF_RESKEY_ip: "192.0.2.1", OCF_RESKEY_strategy: "slow" }),
    ).rejects.toThrow(/parameter "strategy": .*\(allowed: fast, safe\), got "slow"/);
    await expect(parse({ OCF_RESKEY_ip: "nope" })).rejects.toBeInstanceOf(ConfigurationError);
  });
});
