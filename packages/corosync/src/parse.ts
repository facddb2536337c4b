import type { ConfDocument, ConfNode, PairNode, SectionNode } from "./cst.js";
import type { Diagnostic } from "./diagnostics.js";
import { bytePosition, findInvalidUtf8 } from "./utf8.js";

/** What {@link parse} returns: the lossless document and the syntax diagnostics found. */
export interface ParseResult {
  /** The lossless syntax tree. */
  document: ConfDocument;
  /** Syntax problems (errors corosync's own parser would report, and a few warnings). */
  diagnostics: Diagnostic[];
}

/**
 * How deeply sections may nest (a section inside MAX_SECTION_DEPTH others is an error). Real
 * corosync.conf files nest three levels (`totem { interface { } }`, `nodelist { node { } }`).
 */
export const MAX_SECTION_DEPTH = 16;

const LEADING_WS = /^[ \t\f\v\r]*/;
const TRAILING_WS = /[ \t\f\v\r]*$/;

function syntaxError(line: number, column: number, code: string, message: string): Diagnostic {
  return { line, column, severity: "error", code, message };
}

function decode(input: string | Uint8Array, diagnostics: Diagnostic[]): string {
  if (typeof input === "string") return input;
  const bad = findInvalidUtf8(input);
  if (bad >= 0) {
    const at = bytePosition(input, bad);
    diagnostics.push(
      syntaxError(
        at.line,
        at.column,
        "invalid-utf8",
        `invalid UTF-8 byte 0x${input[bad]!.toString(16).padStart(2, "0")}; save the file as UTF-8`,
      ),
    );
  }
  return new TextDecoder("utf-8", { fatal: false, ignoreBOM: true }).decode(input);
}

function parsePair(content: string, eol: string, colon: number, line: number): PairNode {
  const rest = content.slice(colon + 1);
  const lead = LEADING_WS.exec(rest)![0].length;
  const body = rest.slice(lead);
  const trail = TRAILING_WS.exec(body)![0].length;
  const value = body.slice(0, body.length - trail);
  return {
    kind: "pair",
    key: content.slice(0, colon).trim(),
    value,
    before: content.slice(0, colon + 1 + lead),
    after: body.slice(value.length) + eol,
    line,
  };
}

function checkPair(pair: PairNode, column: number, diagnostics: Diagnostic[]): void {
  if (pair.key === "") {
    diagnostics.push(syntaxError(pair.line, column, "empty-key", "missing key before ':'"));
  }
  const brace = pair.value.indexOf("}");
  if (brace !== -1) {
    diagnostics.push({
      line: pair.line,
      column: pair.before.length + brace + 1,
      severity: "warning",
      code: "brace-in-value",
      message: `"}" is part of the value of "${pair.key}", not the end of the section; put "}" on its own line`,
    });
  }
  const hash = pair.value.indexOf("#");
  if (hash > 0) {
    diagnostics.push({
      line: pair.line,
      column: pair.before.length + hash + 1,
      severity: "warning",
      code: "inline-comment",
      message: `corosync has no end-of-line comments: "${pair.value.slice(hash)}" is part of the value of "${pair.key}"; move it to its own line`,
    });
  }
}

/**
 * Parses corosync.conf text (or raw bytes, checked for UTF-8) into a lossless document. It never
 * throws: malformed lines are kept verbatim and reported as diagnostics, so
 * `emit(parse(text).document) === text` for any string.
 *
 * @example
 * ```ts
 * const { document, diagnostics } = parse("totem {\n\tcluster_name: demo\n}\n");
 * ```
 */
export function parse(input: string | Uint8Array): ParseResult {
  const diagnostics: Diagnostic[] = [];
  let text = decode(input, diagnostics);
  const document: ConfDocument = { bom: "", children: [] };
  if (text.startsWith("\uFEFF")) {
    document.bom = "\uFEFF";
    text = text.slice(1);
    diagnostics.push({
      line: 1,
      column: 1,
      severity: "warning",
      code: "byte-order-mark",
      message:
        "the file starts with a UTF-8 byte-order mark, which corosync reads as part of the first name; remove it",
    });
  }
  const open: SectionNode[] = [];
  let children: ConfNode[] = document.children;
  let start = 0;
  let line = 0;
  while (start < text.length) {
    line++;
    const nl = text.indexOf("\n", start);
    const end = nl === -1 ? text.length : nl;
    let content = text.slice(start, end);
    let eol = nl === -1 ? "" : "\n";
    if (content.endsWith("\r")) {
      content = content.slice(0, -1);
      eol = `\r${eol}`;
    }
    start = end + 1;
    const raw = content + eol;
    const indent = LEADING_WS.exec(content)![0].length;
    const trimmed = content.trim();
    const column = indent + 1;
    // corosync classifies a line by the first of '{', ':', '}' it contains, in that order.
    const brace = content.indexOf("{");
    const colon = content.indexOf(":");
    if (trimmed === "") children.push({ kind: "blank", raw, line });
    else if (trimmed.startsWith("#")) children.push({ kind: "comment", raw, line });
    else if (brace !== -1) {
      const name = content.slice(0, brace).trim();
      if (name === "") {
        diagnostics.push(
          syntaxError(line, column, "missing-section-name", "missing section name before '{'"),
        );
      }
      const afterBrace = content.slice(brace + 1);
      if (afterBrace.trim() !== "") {
        const at = brace + 2 + LEADING_WS.exec(afterBrace)![0].length;
        diagnostics.push(
          syntaxError(
            line,
            at,
            "text-after-brace",
            "unexpected text after '{'; put it on its own line",
          ),
        );
      }
      if (open.length === MAX_SECTION_DEPTH) {
        // Only the first level past the limit: the sections inside it are part of the same error.
        diagnostics.push(
          syntaxError(
            line,
            column,
            "nesting-too-deep",
            `section "${name}" is nested inside ${open.length} others; sections nest at most ${MAX_SECTION_DEPTH} deep`,
          ),
        );
      }
      const section: SectionNode = {
        kind: "section",
        name,
        open: raw,
        children: [],
        close: null,
        line,
        closeLine: 0,
      };
      children.push(section);
      open.push(section);
      children = section.children;
    } else if (colon !== -1) {
      const pair = parsePair(content, eol, colon, line);
      children.push(pair);
      checkPair(pair, column, diagnostics);
    } else if (content.includes("}")) {
      if (trimmed !== "}") {
        diagnostics.push(
          syntaxError(line, column, "text-around-brace", "unexpected text before or after '}'"),
        );
      }
      const section = open.pop();
      if (section === undefined) {
        diagnostics.push(
          syntaxError(line, column, "stray-close", "'}' closes no section; remove it"),
        );
        children.push({ kind: "invalid", raw, line });
      } else {
        section.close = raw;
        section.closeLine = line;
        children = open.at(-1)?.children ?? document.children;
      }
    } else {
      const parts = /^(\S+)\s+(.+)$/.exec(trimmed);
      const diagnostic = syntaxError(
        line,
        column,
        "missing-colon",
        parts
          ? `expected "key: value"; did you mean "${parts[1]}: ${parts[2]}"?`
          : `expected "key: value", "name {" or "}", found "${trimmed.slice(0, 40)}"`,
      );
      if (parts) diagnostic.suggestion = `${parts[1]}: ${parts[2]}`;
      diagnostics.push(diagnostic);
      children.push({ kind: "invalid", raw, line });
    }
  }
  for (const section of open) {
    diagnostics.push(
      syntaxError(
        section.line,
        LEADING_WS.exec(section.open)![0].length + 1,
        "unterminated-section",
        `section "${section.name}" is never closed; add a matching '}'`,
      ),
    );
  }
  return { document, diagnostics };
}
