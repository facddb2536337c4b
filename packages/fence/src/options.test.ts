import { describe, expect, it } from "vitest";
import * as z from "zod";
import { FenceError } from "./errors.js";
import {
  convertOption,
  fenceOption,
  getoptText,
  parseCommandLine,
  parseStdinOptions,
  standardOptions,
} from "./options.js";

const specs = {
  ...standardOptions,
  compartment: fenceOption({
    type: "string",
    valueName: "ocid",
    shortdesc: "Compartment",
    schema: z.string().startsWith("ocid1.compartment.", { message: "must be a compartment OCID" }),
  }),
};

describe("parseStdinOptions", () => {
  it("reads name=value lines, maps port to plug, drops pcmk_* and reports other unknown names", () => {
    const { options, unknown } = parseStdinOptions(
      "# comment\naction=off\n\nport=node 2\npcmk_host_map=a:b\nbogus=1\nnodename=n=x\n",
      specs,
    );
    expect(Object.fromEntries(options)).toEqual({ action: "off", plug: "node 2", nodename: "n=x" });
    expect(unknown).toEqual(["bogus"]);
  });
});

describe("parseCommandLine", () => {
  it("takes short, joined short, long with = and long with a separate value, and flags", () => {
    const options = parseCommandLine(
      ["-o", "status", "-nnode1", "--power-timeout=30", "--delay", "5", "-v", "--quiet"],
      specs,
    );
    expect(Object.fromEntries(options)).toEqual({
      action: "status",
      plug: "node1",
      power_timeout: "30",
      delay: "5",
      verbose: true,
      quiet: true,
    });
  });
  it("refuses an unknown option and a missing value, naming them", () => {
    expect(() => parseCommandLine(["--nope=1"], specs)).toThrow(/unknown option "--nope=1"/);
    expect(() => parseCommandLine(["-o"], specs)).toThrow(
      /-o needs a value: -o, --action=\[action\]/,
    );
  });
});

describe("convertOption", () => {
  it("converts seconds, integers, booleans and runs the spec's schema", () => {
    expect(convertOption("power_timeout", standardOptions.power_timeout, "2.5")).toBe(2.5);
    expect(convertOption("retry_on", standardOptions.retry_on, "3")).toBe(3);
    expect(convertOption("verbose", standardOptions.verbose, "yes")).toBe(true);
    expect(convertOption("verbose", standardOptions.verbose, "0")).toBe(false);
    expect(() => convertOption("retry_on", standardOptions.retry_on, "2x")).toThrow(
      'option "retry_on": expected an integer, got "2x"',
    );
    expect(() => convertOption("delay", standardOptions.delay, "-1")).toThrow(/seconds >= 0/);
    const bad = (() => {
      try {
        convertOption("compartment", specs.compartment, "ocid1.vcn.x");
      } catch (e) {
        return e;
      }
    })();
    expect(bad).toBeInstanceOf(FenceError);
    expect((bad as FenceError).code).toBe("BAD_ARGS");
    expect((bad as FenceError).exitCode).toBe(2);
    expect((bad as FenceError).message).toBe(
      'option "compartment": must be a compartment OCID, got "ocid1.vcn.x"',
    );
  });
  it("shows getopt text as fence-agents does", () => {
    expect(getoptText("action", standardOptions.action)).toBe("-o, --action=[action]");
    expect(getoptText("power_timeout", standardOptions.power_timeout)).toBe(
      "--power-timeout=[seconds]",
    );
    expect(getoptText("verbose", standardOptions.verbose)).toBe("-v, --verbose");
    expect(getoptText("debug_file", standardOptions.debug_file)).toBe(
      "-D, --debug-file=[debugfile]",
    );
  });
});
