import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { emit } from "./emit.js";
import { formatDocument } from "./fmt.js";
import { generate } from "./generate.js";
import { parse } from "./parse.js";
import { validate } from "./validate.js";

const ws = fc.constantFrom("", " ", "  ", "\t", " \t");
const word = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/);
const value = fc.stringMatching(/^[A-Za-z0-9./:_-]{0,16}$/);
const eol = fc.constantFrom("\n", "\r\n");

/** A random well-formed corosync.conf with comments, blank lines and odd spacing. */
const confText = fc
  .letrec((tie) => ({
    line: fc.oneof(
      fc
        .tuple(ws, word, ws, ws, value, ws)
        .map(([a, k, b, c, v, d]) => `${a}${k}${b}:${c}${v}${d}`),
      fc.tuple(ws, fc.stringMatching(/^[^\n\r]{0,20}$/)).map(([a, c]) => `${a}#${c}`),
      ws,
    ),
    section: fc
      .tuple(ws, word, ws, fc.array(tie("item") as fc.Arbitrary<string[]>, { maxLength: 4 }), ws)
      .map(([a, name, b, body, c]) => [`${a}${name}${b}{`, ...body.flat(), `${c}}`]),
    item: fc.oneof(
      { depthSize: "small" },
      tie("line").map((l) => [l as string]),
      tie("section") as fc.Arbitrary<string[]>,
    ),
    file: fc.tuple(
      fc.array(tie("section") as fc.Arbitrary<string[]>, { maxLength: 5 }),
      eol,
      fc.boolean(),
    ),
  }))
  .file.map(([sections, nl, final]) => {
    const lines = sections.flat();
    return lines.join(nl) + (final && lines.length > 0 ? nl : "");
  });

describe("round-trip properties", () => {
  it("emit(parse(text)) === text for random well-formed configs, with no syntax error", () => {
    fc.assert(
      fc.property(confText, (text) => {
        const { document, diagnostics } = parse(text);
        expect(emit(document)).toBe(text);
        expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it("emit(parse(s)) === s for any string at all, and validate never throws", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 300 }), (text) => {
        expect(emit(parse(text).document)).toBe(text);
        expect(() => validate(text)).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });

  it("arbitrary bytes never crash the parser", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(() => validate(bytes)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it("formatting is idempotent and keeps the meaning", () => {
    fc.assert(
      fc.property(confText, (text) => {
        const once = formatDocument(parse(text).document);
        expect(formatDocument(parse(once).document)).toBe(once);
        expect(validate(once).config).toEqual(validate(text).config);
      }),
      { numRuns: 200 },
    );
  });

  it("generated configs round-trip and validate clean", () => {
    const nodes = fc.integer({ min: 1, max: 32 }).map((n) =>
      Array.from({ length: n }, (_, i) => ({
        name: `n${i}`,
        addrs: [`192.0.2.${i + 1}`, `198.51.100.${i + 1}`],
      })),
    );
    fc.assert(
      fc.property(nodes, fc.boolean(), (list, comments) => {
        const text = generate({ clusterName: "p", nodes: list, comments });
        expect(emit(parse(text).document)).toBe(text);
        expect(validate(text).diagnostics).toEqual([]);
      }),
      { numRuns: 50 },
    );
  });
});

describe("hostile input", () => {
  it("a 10 MB file is parsed, validated and emitted", { timeout: 120_000 }, () => {
    const comment = "# a long comment block, as people paste whole manuals into config files\n";
    const head = generate({ clusterName: "big", nodes: [{ name: "n1", addrs: ["192.0.2.1"] }] });
    const text = head + comment.repeat(Math.ceil(10_000_000 / comment.length));
    expect(text.length).toBeGreaterThan(10_000_000);
    const result = validate(text);
    expect(emit(result.document)).toBe(text);
    expect(result.errors).toBe(0);
  });

  it("20 000 duplicate nodes: diagnostics are capped but all counted", { timeout: 120_000 }, () => {
    const node = "\tnode {\n\t\tname: n\n\t\tnodeid: 1\n\t\tring0_addr: 192.0.2.1\n\t}\n";
    const text = `nodelist {\n${node.repeat(20_000)}}\n`;
    const result = validate(text);
    expect(emit(result.document)).toBe(text);
    expect(result.diagnostics).toHaveLength(1001);
    expect(result.diagnostics.at(-1)?.code).toBe("too-many-diagnostics");
    expect(result.errors).toBeGreaterThanOrEqual(3 * 19_999);
  });

  it(
    "100 000 nested sections and 100 000 stray braces do not overflow the stack",
    { timeout: 120_000 },
    () => {
      const deep = "a {\n".repeat(100_000);
      const deepResult = validate(deep);
      expect(emit(deepResult.document)).toBe(deep);
      expect(deepResult.errors).toBeGreaterThanOrEqual(100_000);
      expect(
        validate(`${"a {\n".repeat(40)}${"}\n".repeat(40)}`).diagnostics.map((d) => d.code),
      ).toContain("nesting-too-deep");
      const stray = "}\n".repeat(100_000);
      expect(validate(stray).errors).toBeGreaterThanOrEqual(100_000);
    },
  );
});
