import { readFile } from "node:fs/promises";

/** Kinds of moments a failover timeline records, in the order they usually happen. */
export type TimelineKind =
  | "trigger"
  | "token-lost"
  | "membership"
  | "node-lost"
  | "transition"
  | "stop-initiated"
  | "stop-done"
  | "start-initiated"
  | "start-done"
  | "cloud-request"
  | "cloud-move"
  | "address-up"
  | "client-reply";

/** One moment of a failover, with its wall-clock time. */
export interface TimelineEvent {
  readonly kind: TimelineKind;
  /** Wall-clock milliseconds. */
  readonly t: number;
  /** Plain-words description, e.g. "start of VIP on node2: ok". */
  readonly label: string;
  /** Where it was observed: a node's log, the sampler, the client, the emulator, the harness. */
  readonly source: string;
}

const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const stampPattern = /^(\w{3}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2})\.(\d{3})/;

/** Wall-clock ms of a corosync/pacemaker hires log line ("Nov 25 13:39:35.516 ..."), local time. */
export function parseLogTime(line: string, reference: number): number | undefined {
  const m = stampPattern.exec(line);
  if (!m) return undefined;
  const month = months.indexOf(m[1] ?? "");
  if (month < 0) return undefined;
  const year = new Date(reference).getFullYear();
  const at = (y: number) =>
    new Date(
      y,
      month,
      Number(m[2]),
      Number(m[3]),
      Number(m[4]),
      Number(m[5]),
      Number(m[6]),
    ).getTime();
  // Logs carry no year: pick the one closest to the reference (a run across New Year).
  return [year - 1, year, year + 1]
    .map(at)
    .reduce((best, t) => (Math.abs(t - reference) < Math.abs(best - reference) ? t : best));
}

interface LinePattern {
  readonly kind: TimelineKind;
  readonly pattern: RegExp;
  readonly label: (m: RegExpExecArray) => string;
}

const corosyncPatterns: readonly LinePattern[] = [
  {
    kind: "token-lost",
    pattern: /A processor failed, forming new configuration: token timed out \((\d+)ms\)/,
    label: (m) => `token lost (timed out after ${m[1]} ms)`,
  },
  {
    kind: "membership",
    pattern: /A new membership \(([\w.]+)\) was formed\. Members left: ([\d ]+)/,
    label: (m) => `new membership ${m[1]} without node id ${m[2]?.trim()}`,
  },
];

const pacemakerPatterns: readonly LinePattern[] = [
  {
    kind: "node-lost",
    pattern: /pacemaker-controld.*Node (\S+) state is now lost/,
    label: (m) => `Pacemaker: ${m[1]} lost`,
  },
  {
    kind: "transition",
    pattern: /Calculated transition (\d+)/,
    label: (m) => `scheduler: transition ${m[1]}`,
  },
  {
    kind: "stop-initiated",
    pattern: /Initiating stop operation (\S+)_stop_0 (?:locally )?on (\S+)/,
    label: (m) => `stop of ${m[1]} on ${m[2]} initiated`,
  },
  {
    kind: "start-initiated",
    pattern: /Initiating start operation (\S+)_start_0 (?:locally )?on (\S+)/,
    label: (m) => `start of ${m[1]} on ${m[2]} initiated`,
  },
  {
    kind: "stop-done",
    pattern: /Result of stop operation for (\S+) on (\S+): ([\w ]+?)(?: \||$)/,
    label: (m) => `stop of ${m[1]} on ${m[2]}: ${m[3]}`,
  },
  {
    kind: "start-done",
    pattern: /Result of start operation for (\S+) on (\S+): ([\w ]+?)(?: \||$)/,
    label: (m) => `start of ${m[1]} on ${m[2]}: ${m[3]}`,
  },
];

/** Timeline events found in a log file between `from` and `to` (missing file: none). */
export async function eventsFromLog(options: {
  file: string;
  source: string;
  kind: "corosync" | "pacemaker";
  from: number;
  to: number;
}): Promise<TimelineEvent[]> {
  let text: string;
  try {
    text = await readFile(options.file, "utf8");
  } catch {
    return [];
  }
  const patterns = options.kind === "corosync" ? corosyncPatterns : pacemakerPatterns;
  const events: TimelineEvent[] = [];
  for (const line of text.split("\n")) {
    const t = parseLogTime(line, options.from);
    if (t === undefined || t < options.from || t > options.to) continue;
    for (const { kind, pattern, label } of patterns) {
      const m = pattern.exec(line);
      if (m) events.push({ kind, t, label: label(m), source: options.source });
    }
  }
  return events;
}

/** Sorts events by time and keeps the first of each (kind, label) pair (daemons repeat lines). */
export function mergeTimeline(events: readonly TimelineEvent[]): TimelineEvent[] {
  const seen = new Set<string>();
  return [...events]
    .sort((a, b) => a.t - b.t)
    .filter((e) => {
      const key = `${e.kind}|${e.label}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
