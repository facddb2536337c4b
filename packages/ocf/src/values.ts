import { ConfigurationError } from "./errors.js";

const TRUE_WORDS = new Set(["yes", "true", "on", "1"]);
const FALSE_WORDS = new Set(["no", "false", "off", "0"]);

/** Longest excerpt of a bad value quoted in an error message. */
const MAX_QUOTED = 40;

/** Quotes a value for an error message, truncated so a huge input cannot flood the log. */
export function quoteValue(value: string): string {
  const cut = value.length > MAX_QUOTED ? `${value.slice(0, MAX_QUOTED)}…` : value;
  return JSON.stringify(cut);
}

/**
 * Parses an OCF boolean: yes/no, true/false, on/off, 1/0 (any case). Throws a
 * {@link ConfigurationError} naming `name` otherwise.
 */
export function parseOcfBoolean(raw: string, name: string): boolean {
  const word = raw.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  throw new ConfigurationError(
    `parameter "${name}": expected a boolean (yes/no, true/false, on/off, 1/0), got ${quoteValue(raw)}`,
  );
}

/** Parses a decimal integer within the safe range; throws a {@link ConfigurationError} naming `name`. */
export function parseOcfInteger(raw: string, name: string): number {
  const text = raw.trim();
  const value = Number(text);
  if (!/^[+-]?\d+$/.test(text) || !Number.isSafeInteger(value)) {
    throw new ConfigurationError(
      `parameter "${name}": expected an integer, got ${quoteValue(raw)}`,
    );
  }
  return value;
}

/** Whether a string is an OCF "true" (yes/true/on/1, any case), as `ocf_is_true` tests. */
export function isOcfTrue(raw: string | undefined): boolean {
  return raw !== undefined && TRUE_WORDS.has(raw.trim().toLowerCase());
}
