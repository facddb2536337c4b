import { describe, expect, it } from "vitest";
import { ConfigurationError } from "./errors.js";
import { isOcfTrue, parseOcfBoolean, parseOcfInteger } from "./values.js";

describe("OCF values", () => {
  it.each(["yes", "true", "on", "1", "YES", "True", " On "])("%s is true", (word) => {
    expect(parseOcfBoolean(word, "flag")).toBe(true);
    expect(isOcfTrue(word)).toBe(true);
  });
  it.each(["no", "false", "off", "0", "NO"])("%s is false", (word) => {
    expect(parseOcfBoolean(word, "flag")).toBe(false);
  });
  it("rejects other booleans naming the parameter", () => {
    expect(() => parseOcfBoolean("maybe", "flag")).toThrow(ConfigurationError);
    expect(() => parseOcfBoolean("maybe", "flag")).toThrow(/parameter "flag".*yes\/no.*"maybe"/);
  });
  it("parses integers and rejects the rest", () => {
    expect(parseOcfInteger("42", "n")).toBe(42);
    expect(parseOcfInteger("-3", "n")).toBe(-3);
    for (const bad of ["abc", "1.5", "", "1e3", "99999999999999999999"]) {
      expect(() => parseOcfInteger(bad, "op_sleep")).toThrow(
        /parameter "op_sleep": expected an integer/,
      );
    }
  });
  it("truncates huge values in messages", () => {
    expect(() => parseOcfInteger("x".repeat(500), "n")).toThrow(/x{40}…"$/);
  });
});
