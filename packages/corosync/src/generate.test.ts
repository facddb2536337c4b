import { describe, expect, it } from "vitest";
import { generateAuthkey } from "./authkey.js";
import { generate } from "./generate.js";
import { migrate } from "./migrate.js";
import { validate } from "./validate.js";

const two = [
  { name: "node1", addrs: ["192.0.2.11"] },
  { name: "node2", addrs: ["192.0.2.12"] },
];

describe("generate", () => {
  it("uses knet, aes256 + sha256, two_node for two nodes and sequential node ids", () => {
    const { config } = validate(generate({ clusterName: "c", nodes: two }));
    expect(config.totem).toMatchObject({
      transport: "knet",
      crypto_cipher: "aes256",
      crypto_hash: "sha256",
    });
    expect(config.quorum).toMatchObject({ provider: "corosync_votequorum", two_node: "1" });
    expect(config.nodelist?.node?.map((n) => n.nodeid)).toEqual(["1", "2"]);
  });

  it("keeps given node ids and fills the gaps; no two_node for three nodes", () => {
    const text = generate({
      clusterName: "c",
      nodes: [
        ...two.map((n, i) => (i === 0 ? { ...n, nodeid: 2 } : n)),
        { name: "node3", addrs: ["192.0.2.13"] },
      ],
    });
    const { config } = validate(text);
    expect(config.nodelist?.node?.map((n) => n.nodeid)).toEqual(["2", "1", "3"]);
    expect(config.quorum?.two_node).toBeUndefined();
  });

  it.each([
    [{ clusterName: "", nodes: two }, /^clusterName: /],
    [{ clusterName: "c", nodes: [] }, /^nodes: /],
    [
      { clusterName: "c", nodes: [two[0]!, { ...two[1]!, name: "node1" }] },
      /nodes\[\]\.name: "node1" appears twice/,
    ],
    [
      { clusterName: "c", nodes: [two[0]!, { name: "b", addrs: ["192.0.2.12", "198.51.100.1"] }] },
      /same number of link addresses/,
    ],
    [
      { clusterName: "c", nodes: two, token: 1000, consensus: 1000 },
      /consensus: must be at least 1\.2 x token/,
    ],
    [{ clusterName: "c", nodes: two, keyfile: "relative/key" }, /^keyfile: /],
  ])("rejects bad options with INVALID_OPTIONS naming the option (%#)", (options, message) => {
    expect(() => generate(options)).toThrow(
      expect.objectContaining({ code: "INVALID_OPTIONS", message: expect.stringMatching(message) }),
    );
  });
});

describe("authkey", () => {
  it("is random and sized like corosync-keygen's", () => {
    const a = generateAuthkey();
    expect(a).toHaveLength(256);
    expect(a.equals(generateAuthkey())).toBe(false);
    expect(generateAuthkey(4096)).toHaveLength(4096);
    expect(() => generateAuthkey(64)).toThrow(expect.objectContaining({ code: "INVALID_OPTIONS" }));
  });
});

describe("migrate errors", () => {
  it("refuses input with syntax errors", () => {
    expect(() => migrate("totem {\n")).toThrow(expect.objectContaining({ code: "PARSE_FAILED" }));
  });

  it("needs the members when a multicast config has no nodelist, and adds them", () => {
    const legacy =
      "totem {\n\tversion: 2\n\ttransport: udp\n\tinterface {\n\t\tringnumber: 0\n\t\tbindnetaddr: 192.0.2.0\n\t}\n}\n";
    expect(() => migrate(legacy)).toThrow(expect.objectContaining({ code: "INVALID_OPTIONS" }));
    const result = migrate(legacy, { nodes: two });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(validate(result.text).config.nodelist?.node).toHaveLength(2);
  });
});
