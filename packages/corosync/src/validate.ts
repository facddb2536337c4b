import { readConfig } from "./config.js";
import type { ConfDocument } from "./cst.js";
import { createCollector, type Diagnostic, sortDiagnostics } from "./diagnostics.js";
import type { CorosyncConfig } from "./model.js";
import { parse } from "./parse.js";
import { checkSemantics } from "./semantic.js";
import { indexDocument } from "./structure.js";

/** How many diagnostics {@link validate} lists by default (all are counted). */
export const DEFAULT_MAX_DIAGNOSTICS = 1000;

/** What {@link validate} returns. */
export interface ValidateResult {
  /** The parsed (or given) document. */
  document: ConfDocument;
  /** The typed model of the known keys (invalid values left out), built on first access. */
  config: CorosyncConfig;
  /** Syntax, structural and semantic findings, sorted by position. */
  diagnostics: Diagnostic[];
  /** How many diagnostics are errors. */
  errors: number;
  /** How many diagnostics are warnings. */
  warnings: number;
}

/**
 * Checks a corosync.conf (text, bytes or a parsed document) the way a compiler checks code:
 * syntax, misspelt keys (with a suggestion), invalid values and cross-key rules such as duplicate
 * node ids, differing link counts, consensus below 1.2 x token, two_node with more than two nodes,
 * corosync 2 keys and missing or unsupported crypto. Never throws on bad input. Lists at most
 * `maxDiagnostics` findings (default 1000) but counts all of them in `errors` and `warnings`.
 *
 * @example
 * ```ts
 * const { diagnostics } = validate(text);
 * for (const d of diagnostics) console.log(formatDiagnostic(d, "/etc/corosync/corosync.conf"));
 * ```
 */
export function validate(
  input: string | Uint8Array | ConfDocument,
  options: { maxDiagnostics?: number } = {},
): ValidateResult {
  const limit = options.maxDiagnostics ?? DEFAULT_MAX_DIAGNOSTICS;
  const diagnostics = createCollector(limit);
  let document: ConfDocument;
  if (typeof input === "string" || input instanceof Uint8Array) {
    const parsed = parse(input);
    document = parsed.document;
    for (const d of parsed.diagnostics) diagnostics.push(d);
  } else {
    document = input;
  }
  const root = indexDocument(document.children, diagnostics, document === input);
  checkSemantics(root, (at, severity, code, message) => {
    diagnostics.push({ line: at.line, column: at.column, severity, code, message });
  });
  const { kept, counts } = diagnostics;
  const total = counts.error + counts.warning + counts.info;
  const sorted = sortDiagnostics(kept);
  if (total > kept.length) {
    sorted.push({
      line: 1,
      column: 1,
      severity: "info",
      code: "too-many-diagnostics",
      message: `${total - kept.length} more diagnostics not shown (limit ${limit})`,
    });
  }
  let config: CorosyncConfig | undefined;
  return {
    document,
    // Built on first access: validating alone should not pay for the typed model.
    get config() {
      config ??= readConfig(document);
      return config;
    },
    diagnostics: sorted,
    errors: counts.error,
    warnings: counts.warning,
  };
}
