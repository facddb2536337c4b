import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCrmMon, settledOn } from "./crm-mon.js";
import type { E2eError } from "./errors.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../test/fixtures/${name}`, import.meta.url), "utf8");

describe("parseCrmMon", () => {
  it("reads nodes, DC, quorum and where a resource runs", () => {
    const status = parseCrmMon(fixture("crm-mon-started.xml"));
    expect(status.dc).toBe("node2");
    expect(status.quorate).toBe(true);
    expect(status.nodes.map((n) => [n.name, n.online, n.standby])).toEqual([
      ["node1", true, false],
      ["node2", true, false],
    ]);
    expect(status.resources).toEqual([
      {
        id: "VIP",
        agent: "ocf:heartbeat:IPaddr2",
        role: "Started",
        active: true,
        failed: false,
        runningOn: ["node1"],
      },
    ]);
  });

  it("reads standby, an offline peer and a stopped resource", () => {
    const status = parseCrmMon(fixture("crm-mon-standby-peer-lost.xml"));
    expect(status.nodes.find((n) => n.name === "node1")?.standby).toBe(true);
    expect(status.nodes.find((n) => n.name === "node2")?.online).toBe(false);
    expect(status.resources[0]?.role).toBe("Stopped");
    expect(status.resources[0]?.runningOn).toEqual([]);
  });

  it("refuses output that is not a crm_mon result, naming what it got", () => {
    expect(() => parseCrmMon("<cib/>")).toThrowError(/expected <pacemaker-result>, got <cib>/);
    try {
      parseCrmMon("<pacemaker-result><nodes>");
    } catch (error) {
      expect((error as E2eError).code).toBe("BAD_CRM_MON_OUTPUT");
    }
  });
});

describe("settledOn", () => {
  const withPending = (pending: string) =>
    parseCrmMon(
      fixture("crm-mon-started.xml").replace(
        'nodes_running_on="1"',
        `nodes_running_on="1" pending="${pending}"`,
      ),
    );

  it("counts a resource as placed while it is only being monitored, not while it starts", () => {
    expect(settledOn(parseCrmMon(fixture("crm-mon-started.xml")), "VIP")).toEqual(["node1"]);
    expect(settledOn(withPending("Monitoring"), "VIP")).toEqual(["node1"]);
    expect(settledOn(withPending("Starting"), "VIP")).toEqual([]);
    expect(settledOn(parseCrmMon(fixture("crm-mon-standby-peer-lost.xml")), "VIP")).toEqual([]);
  });
});
