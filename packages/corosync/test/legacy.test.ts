import { readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emit, formatDocument, generateAuthkey, migrate, parse, validate } from "../src/index.js";
import { createNetns, type OwnedNetns } from "./helpers/netns.js";

const fixtures = new URL("./fixtures/", import.meta.url);
const read = (name: string) => readFileSync(new URL(name, fixtures));
const tutorial = read("tutorial.conf").toString("utf8");
const hosts = "127.0.0.1 localhost\n192.0.2.11 node1\n192.0.2.12 node2\n";
const authkey = generateAuthkey();

let ns: OwnedNetns;
beforeAll(async () => {
  ns = await createNetns(["192.0.2.11", "198.51.100.11"]);
});
afterAll(async () => {
  await ns?.destroy();
});

describe("the OCI tutorial's corosync.conf (step 6)", () => {
  it("is the tutorial's text verbatim and round-trips byte for byte", () => {
    const seed = readFileSync("/work/shared/seed/000_ab2a1e8210d4d00c.txt", "utf8").split("\n");
    // The seed indents its code blocks by four spaces; the fixture is the block without them.
    const block = seed
      .slice(106, 184)
      .map((l) => l.replace(/^ {4}/, ""))
      .join("\n");
    expect(tutorial).toBe(`${block}\n`);
    expect(emit(parse(tutorial).document)).toBe(tutorial);
    expect(emit(parse(`${seed.slice(106, 184).join("\n")}\n`).document)).toBe(
      `${seed.slice(106, 184).join("\n")}\n`,
    );
  });

  it("validates with a warning for each weakness and no error", () => {
    const result = validate(tutorial);
    expect(result.errors).toBe(0);
    const codes = result.diagnostics.map((d) => d.code);
    expect(codes).toEqual(
      expect.arrayContaining([
        "legacy-transport",
        "legacy-key",
        "no-crypto",
        "missing-name",
        "hostname-address",
        "last-man-standing-two-nodes",
      ]),
    );
    const noCrypto = result.diagnostics.find((d) => d.code === "no-crypto")!;
    expect(noCrypto).toMatchObject({ line: 22, severity: "warning" });
    expect(noCrypto.message).toMatch(/neither encrypted nor authenticated/);
  });

  it("is accepted by corosync as it is (which is why our warnings matter)", async () => {
    const result = await ns.checkConfig(tutorial, { hosts });
    expect(result.status).toBe(0);
  });

  it("migrates to knet + crypto with node names, accepted by corosync", async () => {
    const result = migrate(tutorial);
    expect(result.changes.join("\n")).toMatch(/udpu became knet/);
    expect(result.changes.join("\n")).toMatch(/removed secauth/);
    expect(result.changes.join("\n")).toMatch(/crypto_cipher none became aes256/);
    const config = validate(result.text).config;
    expect(config.totem).toMatchObject({
      transport: "knet",
      crypto_cipher: "aes256",
      crypto_hash: "sha256",
    });
    expect(config.totem?.secauth).toBeUndefined();
    expect(config.nodelist?.node?.map((n) => [n.name, n.nodeid])).toEqual([
      ["node1", "101"],
      ["node2", "102"],
    ]);
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(result.diagnostics.map((d) => d.code)).not.toContain("no-crypto");
    // Comments of untouched lines survive.
    expect(result.text).toContain(
      "# Corosync itself works without a cluster name, but DLM needs one.",
    );
    const check = await ns.checkConfig(result.text, { authkey, hosts });
    expect(check.output).not.toMatch(/error/);
    expect(check.status).toBe(0);
  });

  it("its canonical layout (fmt) says the same thing and corosync still accepts it", async () => {
    const formatted = formatDocument(parse(tutorial).document);
    expect(formatted).not.toBe(tutorial);
    expect(validate(formatted).config).toEqual(validate(tutorial).config);
    expect((await ns.checkConfig(formatted, { hosts })).status).toBe(0);
  });

  it("migrates hostnames to addresses when given, so no hosts file is needed", async () => {
    const result = migrate(tutorial, { hosts: { node1: "192.0.2.11", node2: "192.0.2.12" } });
    expect(result.diagnostics.map((d) => d.code)).not.toContain("hostname-address");
    expect((await ns.checkConfig(result.text, { authkey })).status).toBe(0);
  });
});

describe("corosync 2 multicast config", () => {
  const legacy = read("corosync2-udp.conf").toString("utf8");

  it("warns about every corosync 2 key", () => {
    const codes = validate(legacy).diagnostics.map((d) => d.code);
    expect(codes.filter((c) => c === "legacy-key").length).toBeGreaterThanOrEqual(5);
  });

  it("migrates ringnumber/bindnetaddr/mcastport to a knet config corosync accepts", async () => {
    const result = migrate(legacy);
    const text = result.text;
    expect(text).not.toMatch(/ringnumber|bindnetaddr|mcastaddr|mcastport|rrp_mode|secauth|threads/);
    expect(text).toMatch(/linknumber: 1/);
    expect(text).toMatch(/link_mode: passive/);
    const config = validate(text).config;
    expect(config.nodelist?.node).toEqual([
      { name: "node1", nodeid: "1", ring0_addr: "192.0.2.11", ring1_addr: "198.51.100.11" },
      { name: "node2", nodeid: "2", ring0_addr: "192.0.2.12", ring1_addr: "198.51.100.12" },
    ]);
    expect(result.changes.length).toBeGreaterThanOrEqual(10);
    const check = await ns.checkConfig(text, { authkey });
    expect(check.output).not.toMatch(/error/);
    expect(check.status).toBe(0);
  });
});

describe("udpu with interface member { memberaddr }", () => {
  it("builds the nodelist from the members and corosync accepts the result", async () => {
    const legacy = read("udpu-members.conf").toString("utf8");
    const result = migrate(legacy, { names: { "192.0.2.11": "alpha" } });
    expect(result.text).not.toMatch(/memberaddr|member {|secauth|threads|bindnetaddr/);
    expect(validate(result.text).config.nodelist?.node).toEqual([
      { name: "alpha", nodeid: "1", ring0_addr: "192.0.2.11" },
      { name: "node2", nodeid: "2", ring0_addr: "192.0.2.12" },
    ]);
    expect(result.changes).toContain(
      "added a nodelist with 2 nodes: knet needs every member listed",
    );
    const check = await ns.checkConfig(result.text, { authkey });
    expect(check.output).not.toMatch(/error/);
    expect(check.status).toBe(0);
  });
});

describe("invalid corpus", () => {
  const expectations = JSON.parse(read("invalid/expectations.json").toString("utf8")) as Record<
    string,
    { code: string; corosync: "accepts" | "rejects" }
  >;
  const files = readdirSync(new URL("invalid/", fixtures)).filter((f) => f.endsWith(".conf"));

  it("has 30+ cases, each with an expectation", () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
    expect(files.map((f) => f.replace(/\.conf$/, "")).sort()).toEqual(
      Object.keys(expectations).sort(),
    );
  });

  it.each(files)("%s is rejected by us (and by corosync where it rejects it)", async (file) => {
    const bytes = read(`invalid/${file}`);
    const expected = expectations[file.replace(/\.conf$/, "")]!;
    const result = validate(bytes);
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({ code: expected.code, severity: "error" }),
    );
    const check = await ns.checkConfig(bytes, { authkey });
    expect(check.status === 0 ? "accepts" : "rejects").toBe(expected.corosync);
  });
});
