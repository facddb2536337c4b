import { describe, expect, it } from "vitest";
import { formatDiagnostic, suggest } from "./diagnostics.js";
import { generate } from "./generate.js";
import { validate } from "./validate.js";

const nodes =
  "nodelist {\n\tnode {\n\t\tname: a\n\t\tnodeid: 1\n\t\tring0_addr: 192.0.2.1\n\t}\n}\n";
const conf = (totem: string, rest = nodes) =>
  `totem {\n\tversion: 2\n\tcluster_name: t\n\tcrypto_cipher: aes256\n\tcrypto_hash: sha256\n${totem}}\nquorum {\n\tprovider: corosync_votequorum\n}\n${rest}`;

describe("validate", () => {
  it("suggests the key a typo meant, with its position", () => {
    const [d] = validate(conf("\ttokne: 1000\n")).diagnostics;
    expect(d).toMatchObject({
      line: 6,
      column: 2,
      severity: "warning",
      code: "unknown-key",
      suggestion: "token",
    });
    expect(formatDiagnostic(d!, "/etc/corosync/corosync.conf")).toBe(
      '/etc/corosync/corosync.conf:6:2: warning: unknown key "tokne" in totem; did you mean "token"? (corosync ignores it) [unknown-key]',
    );
  });

  it("says where a key put in the wrong section belongs", () => {
    const [d] = validate(conf("\ttwo_node: 1\n")).diagnostics;
    expect(d?.message).toBe(
      'unknown key "two_node" in totem; it belongs in quorum (corosync ignores it)',
    );
  });

  it("suggests misspelt sections and enum values", () => {
    const codes = validate(`${conf("\ttransport: knt\n")}qourum {\n}\n`).diagnostics;
    expect(codes).toContainEqual(
      expect.objectContaining({ code: "invalid-value", suggestion: "knet", column: 13 }),
    );
    expect(codes).toContainEqual(
      expect.objectContaining({ code: "unknown-section", suggestion: "quorum" }),
    );
    expect(suggest("zzzzzz", ["token", "join"])).toBeUndefined();
  });

  it("reads the typed model, last value winning and invalid values left out", () => {
    const { config } = validate(conf("\ttoken: 1000\n\ttoken: 2000\n\tconsensus: soon\n"));
    expect(config.totem?.token).toBe("2000");
    expect(config.totem?.consensus).toBeUndefined();
    expect(config.nodelist?.node).toEqual([{ name: "a", nodeid: "1", ring0_addr: "192.0.2.1" }]);
  });

  it("warns on corosync 2 keys and on udp-only interface keys under knet", () => {
    const text = conf(
      "\trrp_mode: passive\n\tinterface {\n\t\tringnumber: 0\n\t\tmcastport: 5405\n\t}\n",
    );
    const codes = validate(text).diagnostics.map((d) => d.code);
    expect(codes.filter((c) => c === "legacy-key")).toHaveLength(2);
    expect(codes).toContain("udp-only-key");
    const unused = conf("\tinterface {\n\t\tlinknumber: 1\n\t}\n");
    expect(validate(unused).diagnostics.map((d) => d.code)).toEqual([
      "interface-without-addresses",
    ]);
  });

  it("flags an inline '#' as part of the value", () => {
    const [d] = validate(conf("\ttoken: 1000 # ms\n")).diagnostics.filter(
      (x) => x.code === "inline-comment",
    );
    expect(d).toMatchObject({ line: 6, column: 14, severity: "warning" });
  });

  it("warns on hash without cipher and on two nodes without two_node", () => {
    const two = nodes.replace(
      "\t}\n}",
      "\t}\n\tnode {\n\t\tname: b\n\t\tnodeid: 2\n\t\tring0_addr: 192.0.2.2\n\t}\n}",
    );
    const text = conf("", two).replace("crypto_cipher: aes256", "crypto_cipher: none");
    const codes = validate(text).diagnostics.map((d) => d.code);
    expect(codes).toEqual(expect.arrayContaining(["no-encryption", "two-node-missing"]));
  });

  it("accepts every generated config without a single diagnostic", () => {
    const text = generate({
      clusterName: "x",
      nodes: [
        { name: "a", addrs: ["2001:db8::1"] },
        { name: "b", addrs: ["2001:db8::2"] },
        { name: "c", addrs: ["2001:db8::3"] },
      ],
      comments: true,
      token: 3000,
      consensus: 3600,
    });
    expect(validate(text)).toMatchObject({ errors: 0, warnings: 0, diagnostics: [] });
  });
});
