import type { ProbeAttempt, ScenarioResult, TimelineKind } from "@ocfkit/e2e";
import { labelFont, layoutLabels, rowCount } from "./label-layout.js";
import {
  type Breakdown,
  milestone,
  outageBreakdown,
  type ProbeStats,
  probeStats,
} from "./phases.js";
import type { RunParameters, Versions } from "./run-info.js";
import { plainSummary } from "./summary.js";

const lanes = ["harness", "corosync", "pacemaker", "OCI API", "kernel", "client"] as const;
type Lane = (typeof lanes)[number];

const laneOf: Record<TimelineKind, Lane> = {
  trigger: "harness",
  "token-lost": "corosync",
  membership: "corosync",
  "node-lost": "pacemaker",
  transition: "pacemaker",
  "stop-initiated": "pacemaker",
  "stop-done": "pacemaker",
  "start-initiated": "pacemaker",
  "start-done": "pacemaker",
  "cloud-request": "OCI API",
  "cloud-move": "OCI API",
  "address-up": "kernel",
  "client-reply": "client",
};

const colorOf: Record<Lane, string> = {
  harness: "#b91c1c",
  corosync: "#7c3aed",
  pacemaker: "#2563eb",
  "OCI API": "#c2410c",
  kernel: "#047857",
  client: "#0f766e",
};

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

const fmt = (s: number | undefined) => (s === undefined ? "n/a" : `${s.toFixed(2)} s`);

/** Seconds after the kill at which a run's timeline should end (its last event + 0.5 s). */
export function timelineEnd(result: ScenarioResult): number {
  return Math.max(1, ...result.events.map((e) => (e.t - result.triggeredAt) / 1000)) + 0.5;
}

/**
 * An SVG timeline of the failover: one lane per layer (harness, corosync, pacemaker, OCI API,
 * kernel, client), a marker per event at its true offset from the kill, its label laid out so no
 * two labels overlap and none leaves the picture (rows within a lane; left of the marker near
 * the right edge), the start of the VIP as a bar from begun to finished, the client's probes
 * as dots (filled: answered, hollow: lost) and the outage shaded. `end` shares an axis between runs.
 */
export function timelineSvg(
  result: ScenarioResult,
  probes: readonly ProbeAttempt[],
  options: { end?: number } = {},
): string {
  const zero = result.triggeredAt;
  const events = result.events.map((e) => ({ ...e, offset: (e.t - zero) / 1000 }));
  const end = options.end ?? timelineEnd(result);
  const start = -0.5;
  const left = 110;
  const width = 900;
  const plotRight = width - 20;
  const x = (s: number) => left + ((s - start) / (end - start)) * (plotRight - left);
  const top = 12;
  const laid = lanes.map((lane) =>
    layoutLabels(
      events
        .filter((e) => laneOf[e.kind] === lane)
        .map((e) => ({ x: x(e.offset), text: `${e.offset.toFixed(2)} s ${e.label}` })),
      { minX: left, maxX: width - 4 },
    ),
  );
  const laneHeights = laid.map((placed) => 26 + rowCount(placed) * labelFont.rowHeight);
  const lanesHeight = laneHeights.reduce((a, b) => a + b, 0);
  const height = top + lanesHeight + 30;
  const parts: string[] = [];
  const reply = result.clientReplyMs === undefined ? undefined : result.clientReplyMs / 1000;
  if (reply !== undefined) {
    parts.push(
      `<rect x="${x(0)}" y="${top}" width="${x(reply) - x(0)}" height="${lanesHeight}" fill="#fee2e2" opacity="0.6"><title>VIP unreachable for the client: ${reply.toFixed(2)} s</title></rect>`,
    );
  }
  for (let s = Math.ceil(start); s <= end; s++) {
    parts.push(
      `<line x1="${x(s)}" y1="${top}" x2="${x(s)}" y2="${top + lanesHeight}" stroke="#e5e7eb"/>`,
      `<text class="tick" x="${x(s)}" y="${height - 12}" font-size="11" text-anchor="middle" fill="#6b7280">${s} s</text>`,
    );
  }
  let laneTop = top;
  lanes.forEach((lane, i) => {
    const placed = laid[i] ?? [];
    const y = laneTop + rowCount(placed) * labelFont.rowHeight + 10;
    laneTop += laneHeights[i] ?? 0;
    parts.push(
      `<text class="lane" x="8" y="${y + 4}" font-size="12" font-weight="600" fill="${colorOf[lane]}">${lane}</text>`,
      `<line x1="${left}" y1="${y}" x2="${plotRight}" y2="${y}" stroke="#d1d5db"/>`,
    );
    if (lane === "pacemaker") {
      const begun = milestone(result, "start-initiated");
      const done = milestone(result, "start-done");
      if (begun && done) {
        const [a, b] = [x((begun.t - zero) / 1000), x((done.t - zero) / 1000)];
        parts.push(
          `<rect class="start-span" x="${a}" y="${y - 3}" width="${Math.max(1, b - a)}" height="6" fill="${colorOf.pacemaker}" opacity="0.35"><title>start of the VIP: begun ${fmt((begun.t - zero) / 1000)}, finished ${fmt((done.t - zero) / 1000)}</title></rect>`,
        );
      }
    }
    if (lane === "client") {
      for (const probe of probes) {
        const offset = (probe.t - zero) / 1000;
        if (offset < start || offset > end) continue;
        const fill = probe.reply ? colorOf.client : "white";
        parts.push(
          `<circle cx="${x(offset)}" cy="${y}" r="2.5" fill="${fill}" stroke="${colorOf.client}" stroke-width="0.8"><title>probe sent ${offset.toFixed(3)} s: ${escapeHtml(probe.how)} after ${probe.ms} ms</title></circle>`,
        );
      }
    }
    for (const label of placed) {
      const baseline = y - 8 - label.row * labelFont.rowHeight;
      parts.push(
        `<g><title>${escapeHtml(label.text)}</title>`,
        `<line x1="${label.x}" y1="${y - 6}" x2="${label.x}" y2="${y + 6}" stroke="${colorOf[lane]}" stroke-width="3"/>`,
        label.row > 0
          ? `<line x1="${label.x}" y1="${y - 6}" x2="${label.x}" y2="${baseline - 4}" stroke="${colorOf[lane]}" stroke-width="0.6" stroke-dasharray="2 2"/>`
          : "",
        `<text class="event-label" x="${label.boxLeft}" y="${baseline}" font-family="DejaVu Sans Mono, monospace" font-size="${labelFont.size}" textLength="${label.width}" lengthAdjust="spacingAndGlyphs" fill="#111827">${escapeHtml(label.text)}</text></g>`,
      );
    }
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="failover timeline">${parts.join("")}</svg>`;
}

/** One failover in the report: what ran, what it measured, the client's probes. */
export interface ReportRun {
  /** e.g. "ocivip, OCI emulator at realistic latency". */
  readonly title: string;
  readonly result: ScenarioResult;
  readonly probes: readonly ProbeAttempt[];
  readonly parameters?: RunParameters | undefined;
}

interface Analysed extends ReportRun {
  readonly breakdown: Breakdown;
  readonly stats: ProbeStats;
  readonly summary: string[];
}

function analyse(run: ReportRun, vip: string): Analysed {
  const stats = probeStats(run.result, run.probes);
  const summary = plainSummary(run.result, vip, {
    stats,
    intervalMs: run.parameters?.probeIntervalMs ?? 50,
  });
  if (run.parameters?.cloud)
    summary.push(
      `The OCI emulator ran at ${run.parameters.cloud.profile} latency, over ${run.parameters.cloud.transport}: ${run.parameters.cloud.meaning}.`,
    );
  return { ...run, breakdown: outageBreakdown(run.result), stats, summary };
}

/** The plain-words summary of a run, as the report prints it (the console prints it too). */
export function runSummary(run: ReportRun, vip: string): string[] {
  return analyse(run, vip).summary;
}

const pct = (p: number) => `${p.toFixed(0)} %`;

function breakdownTable(b: Breakdown): string {
  const rows = b.phases
    .map(
      (p) =>
        `<tr><td>${escapeHtml(p.layer)}</td><td>→ ${escapeHtml(p.name)}</td><td>${p.from.toFixed(2)} → ${p.to.toFixed(2)} s</td><td class="r">${p.seconds.toFixed(2)} s</td><td class="r">${pct(p.percent)}</td></tr>`,
    )
    .join("\n");
  const totals = b.byLayer
    .map(
      (l) =>
        `<tr class="t"><td colspan="3">${escapeHtml(l.layer)} in all</td><td class="r">${l.seconds.toFixed(2)} s</td><td class="r">${pct(l.percent)}</td></tr>`,
    )
    .join("\n");
  const notes = [
    ...(b.startFinished === undefined
      ? []
      : [
          `Pacemaker logged the start as finished at ${b.startFinished.toFixed(2)} s${b.outage === undefined ? "" : b.startFinished > b.outage ? ", after the client's first reply" : ", before the client's first reply"}.`,
        ]),
    ...(b.afterReply.length
      ? [
          `After the client's first reply: ${b.afterReply.map((m) => `${m.name} at ${m.at.toFixed(2)} s`).join(", ")}.`,
        ]
      : []),
    "Pacemaker's share includes the agent's own work in its start (for ocivip, all but the wait for OCI).",
  ];
  const after = notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join("");
  return `<table class="breakdown"><tr><th>layer</th><th>phase, ending at</th><th>from → to</th><th>seconds</th><th>% of outage</th></tr>
${rows}
${totals}
<tr class="t"><td colspan="3">outage (kill → first client reply)</td><td class="r">${fmt(b.outage)}</td><td class="r">100 %</td></tr>
</table>${after}`;
}

function parametersTable(p: RunParameters): string {
  const rows: [string, string][] = [
    ["agent", p.agent],
    ...Object.entries(p.agentParams).map(([k, v]): [string, string] => [`  ${k}`, v]),
    ["nodes", String(p.nodes)],
    ["corosync token", `${p.tokenMs} ms`],
    ["corosync consensus", p.consensusMs === undefined ? "not reported" : `${p.consensusMs} ms`],
    [
      "client probe",
      `a TCP connect every ${p.probeIntervalMs} ms, given up after ${p.probeTimeoutMs} ms; one at a time`,
    ],
    ["address sampler", `every ${p.sampleIntervalMs} ms`],
    [
      "OCI emulator",
      p.cloud
        ? `${p.cloud.profile}: ${p.cloud.meaning}, over ${p.cloud.transport}`
        : "none (no cloud call)",
    ],
  ];
  return `<table class="kv">${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join("")}</table>`;
}

function versionsTable(v: Versions): string {
  const rows: [string, string][] = [
    ["Node.js", v.node],
    ["Pacemaker (pacemakerd --version)", v.pacemaker],
    ["Corosync (corosync -v)", v.corosync],
    ["resource-agents (dpkg-query)", v.resourceAgents],
    ["kernel (uname -r)", v.kernel],
    ...Object.entries(v.ocfkit),
  ];
  return `<table class="kv">${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join("")}</table>`;
}

function comparisonTable(runs: readonly Analysed[]): string {
  const head = runs.map((r) => `<th>${escapeHtml(r.title)}</th>`).join("");
  const row = (label: string, cells: string[], cls = "") =>
    `<tr${cls ? ` class="${cls}"` : ""}><td>${escapeHtml(label)}</td>${cells.map((c) => `<td class="r">${escapeHtml(c)}</td>`).join("")}</tr>`;
  const names = [
    ...new Set(runs.flatMap((r) => r.breakdown.phases.map((p) => `${p.layer}|${p.name}`))),
  ];
  return `<table class="compare"><tr><th></th>${head}</tr>
${row(
  "outage: kill → first client reply",
  runs.map((r) => fmt(r.breakdown.outage)),
  "t",
)}
${row(
  "kill → address up on the new owner",
  runs.map((r) =>
    fmt(r.result.addressUpMs === undefined ? undefined : r.result.addressUpMs / 1000),
  ),
)}
${row(
  "probes sent / lost during the outage",
  runs.map((r) => `${r.stats.sent} / ${r.stats.lost}`),
)}
${names
  .map((key) => {
    const [layer, name] = key.split("|") as [string, string];
    return row(
      `${layer}: → ${name}`,
      runs.map((r) => {
        const p = r.breakdown.phases.find((q) => q.layer === layer && q.name === name);
        return p ? `${p.seconds.toFixed(2)} s (${pct(p.percent)})` : "—";
      }),
    );
  })
  .join("\n")}
${runs[0]?.breakdown.byLayer
  .map((l) =>
    row(
      `${l.layer} in all`,
      runs.map((r) => {
        const m = r.breakdown.byLayer.find((q) => q.layer === l.layer);
        return m ? `${m.seconds.toFixed(2)} s (${pct(m.percent)})` : "—";
      }),
      "t",
    ),
  )
  .join("\n")}
</table>`;
}

function runSection(run: Analysed, end: number, heading: string): string {
  const { result } = run;
  const number = (label: string, value: string) =>
    `<div class="n"><div class="v">${escapeHtml(value)}</div><div class="l">${escapeHtml(label)}</div></div>`;
  const rows = result.events
    .map(
      (e) =>
        `<tr><td>${((e.t - result.triggeredAt) / 1000).toFixed(3)}</td><td>${escapeHtml(laneOf[e.kind])}</td><td>${escapeHtml(e.label)}</td><td>${escapeHtml(e.source)}</td></tr>`,
    )
    .join("\n");
  return `<section class="run">
<${heading}>${escapeHtml(run.title)}: ${escapeHtml(result.ownerBefore ?? "?")} → ${escapeHtml(result.ownerAfter ?? "?")}</${heading}>
<p>killed at ${new Date(result.triggeredAt).toISOString()}</p>
<div class="ns">
${number("kill → first client reply", fmt(run.breakdown.outage))}
${number("kill → address up on the new owner", fmt(result.addressUpMs === undefined ? undefined : result.addressUpMs / 1000))}
${number("probes lost / sent during the outage", `${run.stats.lost} / ${run.stats.sent}`)}
${number("samples with the VIP on two nodes", `${result.dualActiveSamples} / ${result.samples}`)}
</div>
<h3>What happened</h3>
<ul>${run.summary.map((line) => `<li>${escapeHtml(line)}</li>`).join("")}</ul>
<h3>Where the outage went</h3>
${breakdownTable(run.breakdown)}
<h3>Timeline (seconds after the kill)</h3>
${timelineSvg(result, run.probes, { end })}
${run.parameters ? `<h3>Parameters</h3>\n${parametersTable(run.parameters)}` : ""}
<details><summary>Events (${result.events.length})</summary>
<table><tr><th>s</th><th>layer</th><th>event</th><th>seen by</th></tr>
${rows}
</table></details>
</section>`;
}

/**
 * A self-contained HTML page (no remote resource): per run the headline numbers, the plain-words
 * summary, where the outage went, the timeline and the parameters; with several runs a comparison
 * table first (timelines on one time axis); the versions of everything involved.
 */
export function reportHtml(options: {
  runs: readonly ReportRun[];
  vip: string;
  versions?: Versions | undefined;
  /** Page heading (default: the failover of the VIP). */
  title?: string;
}): string {
  const runs = options.runs.map((r) => analyse(r, options.vip));
  const end = Math.max(...runs.map((r) => timelineEnd(r.result)));
  const title = options.title ?? `Failover of ${options.vip}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ocfkit failover demo: ${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#111827;max-width:960px}
.ns{display:flex;gap:1rem;margin:1rem 0}.n{border:1px solid #e5e7eb;border-radius:8px;padding:.6rem 1rem}
.v{font-size:1.5rem;font-weight:700}.l{color:#6b7280;font-size:.85rem}
table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}td,th{padding:.2rem .6rem;border-bottom:1px solid #f3f4f6;text-align:left;vertical-align:top}
.r{text-align:right;white-space:nowrap}.t td{font-weight:600}.kv th{font-weight:500;color:#374151;white-space:pre}
.note{color:#6b7280;font-size:.85rem}section.run{border-top:2px solid #e5e7eb;margin-top:2rem}
</style></head><body>
<h1>${escapeHtml(title)}</h1>
${runs.length > 1 ? `<h2>Comparison</h2>\n${comparisonTable(runs)}` : ""}
${runs.map((r) => runSection(r, end, runs.length > 1 ? "h2" : "h2")).join("\n")}
${options.versions ? `<h2>Versions</h2>\n${versionsTable(options.versions)}` : ""}
</body></html>
`;
}
