import type { ProbeAttempt, ScenarioResult, TimelineKind } from "@ocfkit/e2e";

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

/**
 * An SVG timeline of the failover: one lane per layer (harness, corosync, pacemaker, OCI API,
 * kernel, client), a marker per event at its offset from the kill, the client's probes as dots
 * (filled: answered, hollow: lost) and the outage span shaded.
 */
export function timelineSvg(result: ScenarioResult, probes: readonly ProbeAttempt[]): string {
  const zero = result.triggeredAt;
  const events = result.events.map((e) => ({ ...e, offset: (e.t - zero) / 1000 }));
  const end = Math.max(1, ...events.map((e) => e.offset)) + 0.5;
  const start = -0.5;
  const left = 110;
  const width = 900;
  const laneHeight = 58;
  const top = 30;
  const height = top + lanes.length * laneHeight + 40;
  const x = (s: number) => left + ((s - start) / (end - start)) * (width - left - 20);
  const parts: string[] = [];
  const reply = result.clientReplyMs === undefined ? undefined : result.clientReplyMs / 1000;
  if (reply !== undefined) {
    parts.push(
      `<rect x="${x(0)}" y="${top - 8}" width="${x(reply) - x(0)}" height="${lanes.length * laneHeight}" fill="#fee2e2" opacity="0.6"><title>VIP unreachable for the client: ${reply.toFixed(2)} s</title></rect>`,
    );
  }
  for (let s = Math.ceil(start); s <= end; s++) {
    parts.push(
      `<line x1="${x(s)}" y1="${top - 8}" x2="${x(s)}" y2="${height - 36}" stroke="#e5e7eb"/>`,
      `<text x="${x(s)}" y="${height - 20}" font-size="11" text-anchor="middle" fill="#6b7280">${s} s</text>`,
    );
  }
  lanes.forEach((lane, i) => {
    const y = top + i * laneHeight + 18;
    parts.push(
      `<text x="8" y="${y + 4}" font-size="12" font-weight="600" fill="${colorOf[lane]}">${lane}</text>`,
      `<line x1="${left}" y1="${y}" x2="${width - 20}" y2="${y}" stroke="#d1d5db"/>`,
    );
    if (lane === "client") {
      for (const probe of probes) {
        const offset = (probe.t - zero) / 1000;
        if (offset < start || offset > end) continue;
        const fill = probe.reply ? colorOf.client : "white";
        parts.push(
          `<circle cx="${x(offset)}" cy="${y}" r="2.5" fill="${fill}" stroke="${colorOf.client}" stroke-width="0.8"/>`,
        );
      }
    }
    events
      .filter((e) => laneOf[e.kind] === lane)
      .forEach((e, j) => {
        const labelY = y - 8 - (j % 3) * 13;
        parts.push(
          `<g><title>${escapeHtml(`${e.offset.toFixed(3)} s  ${e.label} (${e.source})`)}</title>`,
          `<line x1="${x(e.offset)}" y1="${y - 6}" x2="${x(e.offset)}" y2="${y + 6}" stroke="${colorOf[lane]}" stroke-width="3"/>`,
          `<text x="${x(e.offset) + 4}" y="${labelY}" font-size="10.5" fill="#111827">${escapeHtml(`${e.offset.toFixed(2)} s ${e.label}`)}</text></g>`,
        );
      });
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="failover timeline">${parts.join("")}</svg>`;
}

/** A self-contained HTML page: headline numbers, the plain-words summary, the timeline, the events table. */
export function reportHtml(options: {
  result: ScenarioResult;
  probes: readonly ProbeAttempt[];
  summary: readonly string[];
  vip: string;
  /** The OCI emulator's latency profile in words (ocivip), when there was a cloud. */
  cloud?: string | undefined;
  /** One failover per latency profile, side by side. */
  profiles?: readonly { label: string; failover: string }[];
}): string {
  const { result } = options;
  const number = (label: string, value: string) =>
    `<div class="n"><div class="v">${escapeHtml(value)}</div><div class="l">${escapeHtml(label)}</div></div>`;
  const rows = result.events
    .map(
      (e) =>
        `<tr><td>${((e.t - result.triggeredAt) / 1000).toFixed(3)}</td><td>${escapeHtml(laneOf[e.kind])}</td><td>${escapeHtml(e.label)}</td><td>${escapeHtml(e.source)}</td></tr>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ocfkit failover demo: ${escapeHtml(options.vip)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#111827;max-width:960px}
.ns{display:flex;gap:1rem;margin:1rem 0}.n{border:1px solid #e5e7eb;border-radius:8px;padding:.6rem 1rem}
.v{font-size:1.5rem;font-weight:700}.l{color:#6b7280;font-size:.85rem}
table{border-collapse:collapse;font-size:.85rem}td,th{padding:.2rem .6rem;border-bottom:1px solid #f3f4f6;text-align:left}
</style></head><body>
<h1>Failover of ${escapeHtml(options.vip)}: ${escapeHtml(result.ownerBefore ?? "?")} → ${escapeHtml(result.ownerAfter ?? "?")}</h1>
<p>${escapeHtml(result.agent)}, Corosync token ${result.tokenMs} ms, killed at ${new Date(result.triggeredAt).toISOString()}${options.cloud ? `; OCI emulator at ${escapeHtml(options.cloud)}` : ""}</p>
${
  options.profiles && options.profiles.length > 1
    ? `<h2>Kill → first client reply, by cloud latency profile</h2>
<table><tr><th>profile</th><th>kill → first reply</th></tr>
${options.profiles.map((p) => `<tr><td>${escapeHtml(p.label)}</td><td>${escapeHtml(p.failover)}</td></tr>`).join("\n")}
</table>`
    : ""
}
<div class="ns">
${number("kill → first client reply", result.clientReplyMs === undefined ? "n/a" : `${(result.clientReplyMs / 1000).toFixed(2)} s`)}
${number("kill → address up on the new owner", result.addressUpMs === undefined ? "n/a" : `${(result.addressUpMs / 1000).toFixed(2)} s`)}
${number("client probes lost", String(result.clientLostReplies))}
${number("samples with the VIP on two nodes", `${result.dualActiveSamples} / ${result.samples}`)}
</div>
<h2>What happened</h2>
<ul>${options.summary.map((line) => `<li>${escapeHtml(line)}</li>`).join("")}</ul>
<h2>Timeline (seconds after the kill)</h2>
${timelineSvg(result, options.probes)}
<h2>Events</h2>
<table><tr><th>s</th><th>layer</th><th>event</th><th>seen by</th></tr>
${rows}
</table>
</body></html>
`;
}
