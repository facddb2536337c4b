/** How bad a finding is: errors make corosync fail or misbehave, warnings are weaknesses. */
export type Severity = "error" | "warning" | "info";

/** One finding, located like a compiler message. */
export interface Diagnostic {
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
  /** error, warning or info. */
  severity: Severity;
  /** Stable kebab-case identifier of the check, e.g. `unknown-key`, `duplicate-nodeid`. */
  code: string;
  /** Human-readable explanation: what was found, what is expected. */
  message: string;
  /** A replacement the user probably meant (e.g. the correctly spelt key). */
  suggestion?: string;
}

/**
 * Formats a diagnostic as `file:line:column: severity: message [code]`, the shape compilers use
 * and editors link to.
 */
export function formatDiagnostic(diagnostic: Diagnostic, file = "corosync.conf"): string {
  return `${file}:${diagnostic.line}:${diagnostic.column}: ${diagnostic.severity}: ${diagnostic.message} [${diagnostic.code}]`;
}

/** Sorts diagnostics by position, errors first on the same spot. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const rank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
  return [...diagnostics].sort(
    (a, b) => a.line - b.line || a.column - b.column || rank[a.severity] - rank[b.severity],
  );
}

/** Levenshtein distance, bounded: returns `limit + 1` as soon as the distance exceeds `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      // Transposition counts as one edit: "tokne" is one slip away from "token".
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, (prevPrev[j - 2] ?? d) + 1);
      }
      cur.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > limit) return limit + 1;
    prevPrev = prev;
    prev = cur;
  }
  return prev[b.length]!;
}
/** The closest candidate to `word` within a small edit distance, or undefined. */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  const limit = Math.max(1, Math.min(3, Math.floor(lower.length / 3)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const d = editDistance(lower, candidate, limit);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Anything diagnostics can be pushed to (an array, or a capped collector). */
export interface DiagnosticSink {
  /** Adds one diagnostic. */
  push(diagnostic: Diagnostic): unknown;
}

/** Keeps the first `limit` diagnostics and counts all of them, like a compiler's error limit. */
export function createCollector(limit: number): DiagnosticSink & {
  kept: Diagnostic[];
  counts: Record<Severity, number>;
} {
  const kept: Diagnostic[] = [];
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  return {
    kept,
    counts,
    push(diagnostic) {
      counts[diagnostic.severity]++;
      if (kept.length < limit) kept.push(diagnostic);
    },
  };
}
