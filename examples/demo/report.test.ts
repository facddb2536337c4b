import { describe, expect, it } from "vitest";
import { layoutLabels } from "./label-layout.js";
import { outageBreakdown, probeSentence, probeStats } from "./phases.js";
import { reportHtml } from "./report.js";
import { ipaddr2Run, ocivipRun } from "./report-fixtures.js";
import { plainSummary } from "./summary.js";

describe("label layout", () => {
  it("puts crowded labels in separate rows and flips a label that would pass the right edge", () => {
    const placed = layoutLabels(
      [
        { x: 300, text: "2.21 s Pacemaker: node1 lost" },
        { x: 302, text: "2.21 s scheduler: transition 4" },
        { x: 305, text: "2.23 s start of VIP on node2 initiated" },
        { x: 880, text: "3.28 s start of VIP on node2: ok" },
      ],
      { minX: 110, maxX: 896 },
    );
    expect(placed.map((p) => p.row)).toEqual([0, 1, 2, 0]);
    const last = placed[3]!;
    expect(last.flipped).toBe(true);
    expect(last.boxLeft + last.width).toBeLessThanOrEqual(876);
    for (const p of placed) {
      expect(p.boxLeft).toBeGreaterThanOrEqual(110);
      expect(p.boxLeft + p.width).toBeLessThanOrEqual(896);
    }
  });
});

describe("outage figures", () => {
  it("splits the outage into phases that add up to it, per layer", () => {
    const run = ocivipRun();
    const b = outageBreakdown(run.result);
    expect(b.outage).toBeCloseTo(3.264, 3);
    expect(b.phases.map((p) => p.name)).toEqual([
      "token lost (failure detected)",
      "new membership formed",
      "start begun",
      "agent's first OCI call",
      "OCI confirmed the move",
      "address up on the new owner (agent's start)",
      "first client reply",
    ]);
    const total = b.phases.reduce((s, p) => s + p.seconds, 0);
    expect(total).toBeCloseTo(3.264, 6);
    expect(b.byLayer.reduce((s, l) => s + l.percent, 0)).toBeCloseTo(100, 6);
    expect(b.byLayer.find((l) => l.layer === "corosync")?.seconds).toBeCloseTo(2.205, 6);
    expect(b.afterReply).toEqual([]);
    // The start's result came after the client already had its answer.
    expect(b.startFinished).toBeCloseTo(3.282, 6);
  });

  it("counts the probes really sent during the outage and measures their interval", () => {
    const run = ocivipRun();
    const stats = probeStats(run.result, run.probes);
    expect(stats).toMatchObject({ sent: 14, lost: 13, answered: 1, medianIntervalMs: 251 });
    expect(stats.lastLostAt).toBeCloseTo(3.012, 3);
    expect(stats.firstAnsweredAt).toBeCloseTo(3.263, 3);
    expect(stats.sent).toBe(run.result.clientLostReplies + 1);
    const sentence = probeSentence(stats, 50);
    expect(sentence).toContain("14 probes: 13 lost, 1 answered");
    expect(sentence).toContain("median gap between sends 251 ms");
  });

  it("tells when the start began and when it finished", () => {
    const lines = plainSummary(ipaddr2Run().result, "192.0.2.100").join("\n");
    expect(lines).toContain(
      "Pacemaker began starting the VIP on node2 at 2.22 s; the start finished at 2.33 s (ok).",
    );
    expect(lines).not.toMatch(/one every 50 ms/);
  });

  it("puts both runs, a comparison, parameters and versions in one page", () => {
    const html = reportHtml({
      runs: [ipaddr2Run(), ocivipRun()],
      vip: "192.0.2.100",
      versions: {
        node: "v22.0.0",
        pacemaker: "2.1.5",
        corosync: "3.1.7",
        resourceAgents: "1:4.12.0-2",
        kernel: "6.1.0",
        ocfkit: { "@ocfkit/ocivip": "0.0.0" },
      },
    });
    expect(html.match(/aria-label="failover timeline"/g)).toHaveLength(2);
    expect(html).toContain("<h2>Comparison</h2>");
    expect(html).toContain("corosync consensus");
    expect(html).toContain("realistic: each OCI API call 40-250 ms");
    expect(html).toContain("Pacemaker (pacemakerd --version)");
    expect(html).toContain('class="start-span"');
    expect(html).not.toMatch(/(src|href)="https?:/);
  });
});

describe("the agent's first OCI call", () => {
  it("counts only from the start of the VIP on (an earlier call is a monitor of the standby)", () => {
    const run = ocivipRun();
    const early = {
      kind: "cloud-request" as const,
      t: run.result.triggeredAt + 140,
      label: "OCI: first request from node2 since the trigger (GetSubnet)",
      source: "emulator",
    };
    const result = {
      ...run.result,
      // The emulator logs each node's first request since the trigger only: here the early one.
      events: [...run.result.events.filter((e) => e.kind !== "cloud-request"), early].sort(
        (a, b) => a.t - b.t,
      ),
    };
    const b = outageBreakdown(result);
    expect(b.phases[0]?.name).toBe("token lost (failure detected)");
    expect(b.phases.find((p) => p.name === "agent's first OCI call")).toBeUndefined();
    expect(plainSummary(result, "192.0.2.100").join("\n")).not.toContain("0.14 s");
  });
});
