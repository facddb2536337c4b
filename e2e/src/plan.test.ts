import { describe, expect, it } from "vitest";
import { E2eError } from "./errors.js";
import { isTestNetAddress, namespacePrefix, nodeMac, planCluster } from "./plan.js";

describe("planCluster", () => {
  it("names a run's namespaces with a unique prefix and the emulator's MACs", () => {
    const a = planCluster();
    const b = planCluster();
    expect(a.runId).not.toBe(b.runId);
    expect(a.nodes.map((n) => [n.name, n.address, n.mac])).toEqual([
      ["node1", "192.0.2.11", "02:00:17:00:00:11"],
      ["node2", "192.0.2.12", "02:00:17:00:00:12"],
    ]);
    for (const netns of [a.bridge.netns, a.client.netns, ...a.nodes.map((n) => n.netns)]) {
      expect(netns.startsWith(`${namespacePrefix}${a.runId}-`)).toBe(true);
    }
    expect(a.options.tokenMs).toBe(1000);
  });

  it.each([
    [{ vip: "10.0.0.5" }, /option "vip" must be an IPv4 address in TEST-NET/],
    [{ vip: "192.0.2.12" }, /option "vip" must be a free address/],
    [{ nodes: 1 }, /option "nodes"/],
    [{ tokenMs: 100 }, /option "tokenMs"/],
  ])("refuses %j with BAD_OPTION naming the option", (options, message) => {
    expect(() => planCluster(options)).toThrowError(message);
    expect(() => planCluster(options)).toThrowError(E2eError);
  });

  it("knows the documentation address blocks and nothing else", () => {
    expect(isTestNetAddress("198.51.100.1")).toBe(true);
    expect(isTestNetAddress("169.254.169.254")).toBe(false);
    expect(isTestNetAddress("192.0.2.300")).toBe(false);
    expect(nodeMac(3)).toBe("02:00:17:00:00:13");
  });
});
