import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addNode, getKey, removeNode, setKey, unsetKey } from "./edit.js";
import { emit } from "./emit.js";
import { CorosyncError } from "./errors.js";
import { generate } from "./generate.js";
import { parse } from "./parse.js";
import { validate } from "./validate.js";

const tutorial = readFileSync(new URL("../test/fixtures/tutorial.conf", import.meta.url), "utf8");
const doc = () => parse(tutorial).document;

/** Lines removed from `before` and added in `after`, by longest common subsequence. */
function changedLines(before: string, after: string): { removed: string[]; added: string[] } {
  const a = before.split("\n");
  const b = after.split("\n");
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i]![j] =
        a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const removed: string[] = [];
  const added: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i++;
      j++;
    } else if (j < b.length && (i === a.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!))
      added.push(b[j++]!);
    else removed.push(a[i++]!);
  }
  return { removed, added };
}

describe("editing keeps formatting", () => {
  it("setKey replaces only the value of an existing line", () => {
    const after = emit(setKey(doc(), "totem.transport", "knet"));
    expect(changedLines(tutorial, after)).toEqual({
      removed: ["         transport: udpu"],
      added: ["         transport: knet"],
    });
  });

  it("setKey adds a missing key with its neighbours' indentation", () => {
    const after = emit(setKey(doc(), "totem.token", "3000"));
    expect(changedLines(tutorial, after)).toEqual({ removed: [], added: ["         token: 3000"] });
    expect(getKey(parse(after).document, "totem.token")).toBe("3000");
  });

  it("setKey creates a missing section at the end", () => {
    const after = emit(
      setKey(parse("totem {\n\tversion: 2\n}").document, "quorum.provider", "corosync_votequorum"),
    );
    expect(after).toBe(
      "totem {\n\tversion: 2\n}\n\nquorum {\n\tprovider: corosync_votequorum\n}\n",
    );
  });

  it("unsetKey removes exactly the key's line and does not touch the input document", () => {
    const original = doc();
    const after = emit(unsetKey(original, "totem.secauth"));
    expect(changedLines(tutorial, after)).toEqual({
      removed: ["         secauth: off"],
      added: [],
    });
    expect(emit(original)).toBe(tutorial);
  });

  it("keeps CRLF line endings on added lines", () => {
    const after = emit(
      setKey(parse("totem {\r\n  version: 2\r\n}\r\n").document, "totem.token", "1000"),
    );
    expect(after).toBe("totem {\r\n  version: 2\r\n  token: 1000\r\n}\r\n");
  });

  it("rejects malformed paths and values with INVALID_PATH / INVALID_OPTIONS", () => {
    expect(() => setKey(doc(), "token", "1")).toThrow(
      expect.objectContaining({ code: "INVALID_PATH" }),
    );
    expect(() => setKey(doc(), "totem.token", "1\n}")).toThrow(CorosyncError);
  });
});

describe("nodes", () => {
  it("addNode copies the layout of the last node and picks the next node id", () => {
    const after = emit(addNode(doc(), { name: "node3", addrs: ["192.0.2.13"] }));
    const { added, removed } = changedLines(tutorial, after);
    expect(added).toEqual([
      "         node {",
      "                 name: node3",
      "                 nodeid: 103",
      "                 ring0_addr: 192.0.2.13",
      "         }",
    ]);
    // two_node is for exactly two nodes: its line goes, nothing else.
    expect(removed).toEqual(["         two_node: 1"]);
    expect(validate(after).diagnostics.map((d) => d.code)).not.toContain("two-node-too-many");
  });

  it("addNode refuses a taken name, node id or address", () => {
    expect(() => addNode(doc(), { name: "node9", addrs: ["192.0.2.13"], nodeid: 101 })).toThrow(
      expect.objectContaining({ code: "NODE_EXISTS" }),
    );
    expect(() => addNode(doc(), { name: "bad name", addrs: ["192.0.2.13"] })).toThrow(
      expect.objectContaining({ code: "INVALID_OPTIONS" }),
    );
  });

  it("removeNode removes the node's block by nodeid, name or address", () => {
    const after = emit(removeNode(doc(), "102"));
    // One node left: two_node no longer applies.
    expect(changedLines(tutorial, after).removed).toEqual([
      "         two_node: 1",
      "         node {",
      "                 ring0_addr: node2",
      "                 nodeid: 102",
      "             }",
    ]);
    expect(() => removeNode(doc(), "node7")).toThrow(
      expect.objectContaining({ code: "NODE_NOT_FOUND" }),
    );
  });
});

describe("edit properties", () => {
  const keys = fc.constantFrom(
    "totem.token",
    "totem.join",
    "quorum.wait_for_all",
    "logging.debug",
    "system.state_dir",
    "nozzle.name",
  );
  const value = fc.stringMatching(/^[a-z0-9/_.-]{1,12}$/);
  const base = fc.boolean().map((comments) =>
    generate({
      clusterName: "p",
      comments,
      nodes: [
        { name: "a", addrs: ["192.0.2.1"] },
        { name: "b", addrs: ["192.0.2.2"] },
      ],
    }),
  );

  it("setKey changes at most one line (or adds a section), and getKey reads the value back", () => {
    fc.assert(
      fc.property(base, keys, value, (text, path, v) => {
        const after = emit(setKey(parse(text).document, path, v));
        const { removed, added } = changedLines(text, after);
        const [section, key] = path.split(".");
        expect(removed.length).toBeLessThanOrEqual(1);
        expect(
          added.filter((l) => l.trim() !== "" && !l.endsWith("{") && l.trim() !== "}"),
        ).toEqual([expect.stringMatching(new RegExp(`^\\s*${key}: ${v.replace(/[.]/g, "\\.")}$`))]);
        expect(added.filter((l) => l.endsWith("{")).every((l) => l === `${section} {`)).toBe(true);
        expect(getKey(parse(after).document, path)).toBe(v);
        expect(emit(parse(after).document)).toBe(after);
      }),
      { numRuns: 200 },
    );
  });

  it("unsetKey after setKey on a new key gives back the original text when the section existed", () => {
    fc.assert(
      fc.property(
        base,
        fc.constantFrom("totem.token", "quorum.wait_for_all", "logging.debug"),
        value,
        (text, path, v) => {
          const doc = parse(text).document;
          if (getKey(doc, path) !== undefined) return;
          expect(emit(unsetKey(setKey(doc, path, v), path))).toBe(text);
        },
      ),
      { numRuns: 100 },
    );
  });
});
