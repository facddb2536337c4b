import { describe, expect, it } from "vitest";
import { LiteHeaders } from "./lite-headers.js";

// The same steps on ours and on Node's own Headers (undici) must leave the same pairs.
function replay(h: {
  append(n: string, v: string): void;
  set(n: string, v: string): void;
  delete(n: string): void;
}): void {
  h.append("X-Date", "Tue, 01 Jan 2030 00:00:00 GMT");
  h.append("Accept", "application/json");
  h.append("accept", "text/plain");
  h.set("Content-Type", "application/json");
  h.append("opc-request-id", "  padded  ");
  h.set("HOST", "iaas.example");
  h.append("x-drop", "1");
  h.delete("X-DROP");
}

describe("LiteHeaders", () => {
  it("behaves like Node's Headers for the operations the SDK and we use", () => {
    const ours = new LiteHeaders();
    const node = new Headers();
    replay(ours);
    replay(node);
    expect([...ours]).toEqual([...node]);
    for (const name of ["accept", "ACCEPT", "host", "x-drop", "missing"]) {
      expect(ours.get(name)).toBe(node.get(name));
      expect(ours.has(name)).toBe(node.has(name));
    }
    const seen: string[] = [];
    ours.forEach((value, name) => {
      seen.push(`${name}=${value}`);
    });
    expect(seen).toEqual([...node].map(([n, v]) => `${n}=${v}`));
    expect([...ours.keys()]).toEqual([...node.keys()]);
    expect([...ours.values()]).toEqual([...node.values()]);
  });

  it("builds from a record, from pairs and from another Headers", () => {
    expect(new LiteHeaders({ A: "1", b: "2" }).get("a")).toBe("1");
    expect([
      ...new LiteHeaders([
        ["X", "1"],
        ["x", "2"],
      ]),
    ]).toEqual([["x", "1, 2"]]);
    const node = new Headers({ Authorization: "Signature x" });
    expect(new LiteHeaders(node).get("authorization")).toBe("Signature x");
  });

  it("refuses names and values that could split or forge a header", () => {
    const h = new LiteHeaders();
    expect(() => h.set("bad name", "x")).toThrow(TypeError);
    expect(() => h.append("x-ok", "a\r\nInjected: yes")).toThrow(/CR, LF or NUL/);
    expect(() => h.set("", "x")).toThrow(/invalid HTTP header name/);
    expect([...h]).toEqual([]);
  });
});
