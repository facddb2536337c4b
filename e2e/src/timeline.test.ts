import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { eventsFromLog, mergeTimeline, parseLogTime } from "./timeline.js";

const reference = new Date(2026, 10, 25, 13, 39, 30).getTime();

describe("timeline", () => {
  it("reads hires log timestamps in local time", () => {
    const t = parseLogTime("Nov 25 13:39:35.516 [16196] node2 corosync notice", reference);
    expect(t).toBe(new Date(2026, 10, 25, 13, 39, 35, 516).getTime());
    expect(parseLogTime("no stamp here", reference)).toBeUndefined();
  });

  it("turns corosync and pacemaker lines into failover events within the window", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ocfk-timeline-"));
    const corosync = join(dir, "corosync.log");
    const pacemaker = join(dir, "pacemaker.log");
    await writeFile(
      corosync,
      [
        "Nov 25 13:39:20.000 [1] node2 corosync notice  [TOTEM ] A processor failed, forming new configuration: token timed out (1000ms), waiting 1200ms for consensus.",
        "Nov 25 13:39:34.312 [1] node2 corosync notice  [TOTEM ] A processor failed, forming new configuration: token timed out (1000ms), waiting 1200ms for consensus.",
        "Nov 25 13:39:35.516 [1] node2 corosync notice  [TOTEM ] A new membership (2.d) was formed. Members left: 1",
      ].join("\n"),
    );
    await writeFile(
      pacemaker,
      [
        "Nov 25 13:39:35.516 node2 pacemaker-controld  [9] (update_peer_state_iter) \tnotice: Node node1 state is now lost | nodeid=1",
        "Nov 25 13:39:35.600 node2 pacemaker-controld  [9] (execute_rsc_action) \tnotice: Initiating start operation VIP_start_0 locally on node2 | action 1",
        "Nov 25 13:39:35.720 node2 pacemaker-controld  [9] (log_executor_event) \tnotice: Result of start operation for VIP on node2: ok | CIB update 37",
      ].join("\n"),
    );
    const window = { from: reference + 3000, to: reference + 10_000, source: "node2" };
    const events = mergeTimeline([
      ...(await eventsFromLog({ file: corosync, kind: "corosync", ...window })),
      ...(await eventsFromLog({ file: pacemaker, kind: "pacemaker", ...window })),
    ]);
    expect(events.map((e) => [e.kind, e.label])).toEqual([
      ["token-lost", "token lost (timed out after 1000 ms)"],
      ["membership", "new membership 2.d without node id 1"],
      ["node-lost", "Pacemaker: node1 lost"],
      ["start-initiated", "start of VIP on node2 initiated"],
      ["start-done", "start of VIP on node2: ok"],
    ]);
    expect(
      await eventsFromLog({ file: join(dir, "missing"), kind: "corosync", ...window }),
    ).toEqual([]);
  });
});
