import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addNode,
  emit,
  generate,
  generateAuthkey,
  parse,
  removeNode,
  setKey,
  unsetKey,
  validate,
} from "../src/index.js";
import { createNetns, type OwnedNetns } from "./helpers/netns.js";

// The namespace's interface holds node1's addresses, so corosync finds its local node.
const LOCAL = ["192.0.2.11", "198.51.100.11", "2001:db8::11"];
const twoNodes = [
  { name: "node1", addrs: ["192.0.2.11"] },
  { name: "node2", addrs: ["192.0.2.12"] },
];

let ns: OwnedNetns;
let dir: string;
const authkey = generateAuthkey();

beforeAll(async () => {
  ns = await createNetns(LOCAL);
  dir = await mkdtemp(join(tmpdir(), "ocfk-cs-key-"));
});
afterAll(async () => {
  try {
    await ns?.destroy();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

async function expectAccepted(text: string): Promise<void> {
  const result = await ns.checkConfig(text, { authkey });
  expect(result.output).not.toMatch(/error/i);
  expect(result.status).toBe(0);
  expect(validate(text).errors).toBe(0);
}

describe("generated configs pass corosync -t", () => {
  it("the two-node default (knet, aes256 + sha256, two_node)", async () => {
    const text = generate({ clusterName: "ha_cluster", nodes: twoNodes, comments: true });
    expect(validate(text).diagnostics).toEqual([]);
    await expectAccepted(text);
  });

  it("without the authkey, corosync refuses the crypto config (so the key is really used)", async () => {
    const result = await ns.checkConfig(generate({ clusterName: "c", nodes: twoNodes }));
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/authkey/);
  });

  it("a keyfile path in totem, written with mode 0400", async () => {
    const keyfile = join(dir, "authkey");
    await writeFile(keyfile, authkey, { mode: 0o400 });
    await chmod(keyfile, 0o400);
    const text = generate({ clusterName: "c", nodes: twoNodes, keyfile });
    const result = await ns.checkConfig(text);
    expect(result.status).toBe(0);
  });

  it("three nodes on two links with token and consensus, and IPv6", async () => {
    await expectAccepted(
      generate({
        clusterName: "three",
        token: 1000,
        consensus: 1200,
        linkMode: "passive",
        crypto: { cipher: "aes128", hash: "sha512" },
        nodes: [
          { name: "node1", addrs: ["192.0.2.11", "198.51.100.11"], nodeid: 10 },
          { name: "node2", addrs: ["192.0.2.12", "198.51.100.12"] },
          { name: "node3", addrs: ["192.0.2.13", "198.51.100.13"] },
        ],
      }),
    );
    await expectAccepted(
      generate({
        clusterName: "v6",
        nodes: [
          { name: "node1", addrs: ["2001:db8::11"] },
          { name: "node2", addrs: ["2001:db8::12"] },
        ],
      }),
    );
  });

  it("crypto off is accepted by corosync but warned about by us", async () => {
    const text = generate({ clusterName: "c", nodes: twoNodes, crypto: false });
    expect((await ns.checkConfig(text)).status).toBe(0);
    expect(validate(text).diagnostics.map((d) => d.code)).toContain("no-crypto");
  });

  it("random generated clusters (fast-check)", async () => {
    const arbitrary = fc.record({
      peers: fc.integer({ min: 1, max: 6 }),
      links: fc.integer({ min: 1, max: 2 }),
      token: fc.option(fc.integer({ min: 200, max: 10_000 }), { nil: undefined }),
      cipher: fc.constantFrom("aes256", "aes192", "aes128"),
      hash: fc.constantFrom("sha256", "sha384", "sha512", "sha1"),
    });
    await fc.assert(
      fc.asyncProperty(arbitrary, async ({ peers, links, token, cipher, hash }) => {
        const subnets = ["192.0.2", "198.51.100"].slice(0, links);
        const nodes = Array.from({ length: peers + 1 }, (_, i) => ({
          name: `node${i + 1}`,
          addrs: subnets.map((s) => `${s}.${11 + i}`),
        }));
        const text = generate({
          clusterName: "prop",
          nodes,
          crypto: { cipher, hash },
          ...(token ? { token } : {}),
        });
        expect(emit(parse(text).document)).toBe(text);
        await expectAccepted(text);
      }),
      { numRuns: 12 },
    );
  });
});

describe("edited configs pass corosync -t", () => {
  const base = () => parse(generate({ clusterName: "edit", nodes: twoNodes })).document;

  it("add a node (two_node dropped), then remove it (two_node back)", async () => {
    const three = addNode(base(), { name: "node3", addrs: ["192.0.2.13"] });
    const threeText = emit(three);
    expect(threeText).not.toMatch(/two_node/);
    await expectAccepted(threeText);
    const two = removeNode(three, "node3");
    expect(emit(two)).toMatch(/two_node: 1/);
    await expectAccepted(emit(two));
  });

  it("set and unset keys", async () => {
    let doc = setKey(base(), "totem.token", "5000");
    doc = setKey(doc, "totem.crypto_cipher", "aes192");
    doc = setKey(doc, "logging.debug", "on");
    doc = unsetKey(doc, "logging.logfile");
    doc = setKey(doc, "logging.to_logfile", "no");
    await expectAccepted(emit(doc));
  });
});
