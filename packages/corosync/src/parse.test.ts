import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { emit } from "./emit.js";
import { parse } from "./parse.js";

const tutorial = readFileSync(new URL("../test/fixtures/tutorial.conf", import.meta.url), "utf8");

describe("parse/emit", () => {
  it("round-trips the tutorial's config byte for byte", () => {
    const { document, diagnostics } = parse(tutorial);
    expect(emit(document)).toBe(tutorial);
    expect(diagnostics).toEqual([]);
    expect(document.children.filter((n) => n.kind === "section").map((n) => n.name)).toEqual([
      "system",
      "totem",
      "logging",
      "quorum",
      "nodelist",
    ]);
  });

  it("keeps CRLF endings, a missing final newline and a byte-order mark", () => {
    const text = "\uFEFFtotem {\r\n\tversion:   2  \r\n}";
    const { document, diagnostics } = parse(text);
    expect(emit(document)).toBe(text);
    expect(diagnostics.map((d) => d.code)).toEqual(["byte-order-mark"]);
  });

  it("splits a pair into key, value and the untouched rest", () => {
    const { document } = parse("totem {\n  token :  3000 \n}\n");
    const totem = document.children[0];
    expect(totem?.kind).toBe("section");
    const pair = totem?.kind === "section" ? totem.children[0] : undefined;
    expect(pair).toMatchObject({
      kind: "pair",
      key: "token",
      value: "3000",
      before: "  token :  ",
      after: " \n",
    });
  });

  it.each([
    ["totem {\n version: 2\n", "unterminated-section", 1, 1],
    ["totem {\n}\n}\n", "stray-close", 3, 1],
    ["totem {\n  version 2\n}\n", "missing-colon", 2, 3],
    ["totem { version: 2\n}\n", "text-after-brace", 1, 9],
    ["{\n}\n", "missing-section-name", 1, 1],
    ["totem {\n}x\n", "text-around-brace", 2, 1],
  ])("reports %j as %s at %i:%i and still round-trips", (text, code, line, column) => {
    const { document, diagnostics } = parse(text);
    expect(emit(document)).toBe(text);
    expect(diagnostics).toContainEqual(
      expect.objectContaining({ code, line, column, severity: "error" }),
    );
  });

  it("explains a '}' at the end of a key line (corosync reads it as part of the value)", () => {
    const { diagnostics } = parse("totem {\n  cluster_name: ab }\n");
    expect(diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([
      ["brace-in-value", 2, 20],
      ["unterminated-section", 1, 1],
    ]);
  });

  it("reports invalid UTF-8 with its position instead of throwing", () => {
    const bytes = Buffer.concat([
      Buffer.from("totem {\n  cluster_name: a"),
      Buffer.from([0xc3, 0x28]),
      Buffer.from("\n}\n"),
    ]);
    const { diagnostics } = parse(bytes);
    expect(diagnostics).toContainEqual(
      expect.objectContaining({ code: "invalid-utf8", line: 2, column: 18 }),
    );
  });
});
