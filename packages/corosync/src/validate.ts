import { readConfig } from "./config.js";
import type { ConfDocument } from "./cst.js";
import { type Diagnostic, sortDiagnostics } from "./diagnostics.js";
import type { CorosyncConfig } from "./model.js";
import { parse } from "./parse.js";
import { checkSemantics } from "./semantic.js";
import { indexDocument } from "./structure.js";

/** What {@link validate} returns. */
export interface ValidateResult {
  /** The parsed (or given) document. */
  document: ConfDocument;
  /** The typed model of the known keys (invalid values left out). */
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
 * corosync 2 keys and missing or unsupported crypto. Never throws on bad input.
 *
 * @example
 * ```ts
 * const { diagnostics } = validate(text);
 * for (const d of diagnostics) console.log(formatDiagnostic(d, "/etc/corosync/corosync.conf"));
 * ```
 */
export function validate(input: string | Uint8Array | ConfDocument): ValidateResult {
  const diagnostics: Diagnostic[] = [];
  let document: ConfDocument;
  if (typeof input === "string" || input instanceof Uint8Array) {
    const parsed = parse(input);
    document = parsed.document;
    diagnostics.push(...parsed.diagnostics);
  } else {
    document = input;
  }
  const root = indexDocument(document.children, diagnostics);
  checkSemantics(root, (at, severity, code, message) => {
    diagnostics.push({ ...at, severity, code, message });
  });
  const sorted = sortDiagnostics(diagnostics);
  return {
    document,
    config: readConfig(document),
    diagnostics: sorted,
    errors: sorted.filter((d) => d.severity === "error").length,
    warnings: sorted.filter((d) => d.severity === "warning").length,
  };
}
