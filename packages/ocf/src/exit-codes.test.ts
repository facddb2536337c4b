import { describe, expect, it } from "vitest";
import { ConfigurationError, errorToOutcome, OcfError, ocfErrorExitCodes } from "./errors.js";
import { isOcfExitCode, OcfExit, ocfExitName } from "./exit-codes.js";

describe("exit codes", () => {
  it("match ocf-returncodes and Pacemaker's degraded codes", () => {
    expect(OcfExit).toMatchObject({
      SUCCESS: 0,
      ERR_CONFIGURED: 6,
      NOT_RUNNING: 7,
      FAILED_PROMOTED: 9,
    });
    expect(OcfExit.DEGRADED).toBe(190);
    expect(OcfExit.DEGRADED_PROMOTED).toBe(191);
    expect(ocfExitName(7)).toBe("NOT_RUNNING");
    expect(ocfExitName(42)).toBeUndefined();
    expect(isOcfExitCode(191)).toBe(true);
    expect(isOcfExitCode(10)).toBe(false);
  });

  it("maps every error code to an exit code in one table", () => {
    expect(new ConfigurationError("x").exitCode).toBe(6);
    expect(new OcfError("DEADLINE_EXCEEDED", "late").exitCode).toBe(OcfExit.ERR_GENERIC);
    for (const [code, exit] of Object.entries(ocfErrorExitCodes)) {
      expect(new OcfError(code as keyof typeof ocfErrorExitCodes, "m").exitCode).toBe(exit);
    }
  });

  it("turns unknown throws into ERR_GENERIC with a one-line reason", () => {
    expect(errorToOutcome(new Error("boom\nsecond line"))).toEqual({
      exitCode: 1,
      reason: "unexpected error: boom; second line",
    });
    expect(errorToOutcome(new ConfigurationError("bad ip"))).toEqual({
      exitCode: 6,
      reason: "bad ip",
    });
  });
});
