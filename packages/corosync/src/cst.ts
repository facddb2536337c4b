/**
 * The lossless syntax tree of a corosync.conf file: every node keeps the exact text of its
 * line(s), so emitting the tree reproduces the input byte for byte (see `corosync.conf(5)`).
 */

/** A `key: value` line, split so the value can be replaced without touching the rest. */
export interface PairNode {
  kind: "pair";
  /** The key, without surrounding whitespace. */
  key: string;
  /** The value, without surrounding whitespace (corosync has no inline comments). */
  value: string;
  /** Everything before the value: indentation, key, colon and the gap after it. */
  before: string;
  /** Everything after the value: trailing whitespace and the line ending. */
  after: string;
  /** 1-based line number in the parsed text (0 for nodes added by an edit). */
  line: number;
}

/** A `name {` ... `}` block. */
export interface SectionNode {
  kind: "section";
  /** The section name, without surrounding whitespace. */
  name: string;
  /** The exact opening line, including its line ending. */
  open: string;
  /** The nodes inside the section, in order. */
  children: ConfNode[];
  /** The exact closing line, or `null` when the section is never closed. */
  close: string | null;
  /** 1-based line of the opening line (0 for nodes added by an edit). */
  line: number;
  /** 1-based line of the closing line (0 when absent or added by an edit). */
  closeLine: number;
}

/** A blank line, a `#` comment line, or a line corosync would reject, kept verbatim. */
export interface TriviaNode {
  kind: "blank" | "comment" | "invalid";
  /** The exact line, including its line ending. */
  raw: string;
  /** 1-based line number (0 for nodes added by an edit). */
  line: number;
}

/** Any node of the syntax tree. */
export type ConfNode = PairNode | SectionNode | TriviaNode;

/** A parsed corosync.conf: a byte-order mark (usually empty) and the top-level nodes. */
export interface ConfDocument {
  /** A leading U+FEFF, kept so emitting is lossless. */
  bom: string;
  /** Top-level nodes in file order. */
  children: ConfNode[];
}
