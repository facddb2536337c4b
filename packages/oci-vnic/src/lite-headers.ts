/** Anything that lists header pairs the way a WHATWG `Headers` does (ours or Node's own). */
export interface HeaderSource {
  forEach(callback: (value: string, name: string) => void): void;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const BAD_VALUE = /[\0\r\n]/;

function checkName(name: string): string {
  if (!TOKEN.test(name)) throw new TypeError(`invalid HTTP header name: ${JSON.stringify(name)}`);
  return name.toLowerCase();
}

function checkValue(name: string, value: unknown): string {
  const text = String(value).trim();
  if (BAD_VALUE.test(text)) {
    throw new TypeError(`invalid value for HTTP header ${name}: it contains CR, LF or NUL`);
  }
  return text;
}

/**
 * The part of the WHATWG `Headers` class that the OCI SDK and this package use, without loading
 * Node's `fetch` implementation (undici: its HTTP parser, streams, TLS, zlib and workers, ≈ 30 ms
 * and 10 MB in a new process). Names are case-insensitive and listed lower-cased in order,
 * `append` joins values with ", ", and names or values that could split a header are refused.
 * The builds that inline SDK code hand it to the SDK in place of the global `Headers`.
 */
export class LiteHeaders {
  readonly #map = new Map<string, string>();

  constructor(init?: Record<string, string> | Iterable<readonly [string, string]> | HeaderSource) {
    if (init === undefined || init === null) return;
    if (typeof (init as HeaderSource).forEach === "function" && !Array.isArray(init)) {
      (init as HeaderSource).forEach((value, name) => {
        this.append(name, value);
      });
    } else if (Symbol.iterator in Object(init)) {
      for (const [name, value] of init as Iterable<readonly [string, string]>) {
        this.append(name, value);
      }
    } else {
      for (const [name, value] of Object.entries(init as Record<string, string>)) {
        this.append(name, value);
      }
    }
  }

  /** Adds a value; an existing header gets `, value` appended. */
  append(name: string, value: string): void {
    const key = checkName(name);
    const text = checkValue(name, value);
    const old = this.#map.get(key);
    this.#map.set(key, old === undefined ? text : `${old}, ${text}`);
  }

  /** Replaces the header's value. */
  set(name: string, value: string): void {
    this.#map.set(checkName(name), checkValue(name, value));
  }

  /** The header's value, or null. */
  get(name: string): string | null {
    return this.#map.get(name.toLowerCase()) ?? null;
  }

  /** Whether the header is present. */
  has(name: string): boolean {
    return this.#map.has(name.toLowerCase());
  }

  /** Removes the header. */
  delete(name: string): void {
    this.#map.delete(name.toLowerCase());
  }

  /** Calls back with `(value, name)` for each header, names sorted. */
  forEach(callback: (value: string, name: string, headers: LiteHeaders) => void): void {
    for (const [name, value] of this.entries()) callback(value, name, this);
  }

  /** `[name, value]` pairs, names lower-cased and sorted. */
  *entries(): IterableIterator<[string, string]> {
    const names = [...this.#map.keys()].sort();
    for (const name of names) yield [name, this.#map.get(name)!];
  }

  /** Header names, lower-cased and sorted. */
  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  /** Header values, in name order. */
  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}
