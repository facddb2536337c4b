import { OcfError, OcfExit } from "@ocfkit/ocf";
import { describe, expect, it } from "vitest";
import { errorCodeTable, toOcfError } from "./error-map.js";

function fake(name: string, code: string): Error {
  return Object.assign(new Error(`${name} ${code}`), { name, code });
}

describe("toOcfError", () => {
  it("never turns a cloud or API failure into 'not running'", () => {
    for (const [name, codes] of Object.entries(errorCodeTable)) {
      for (const code of Object.keys(codes)) {
        expect(toOcfError(fake(name, code)).exitCode).not.toBe(OcfExit.NOT_RUNNING);
      }
    }
  });

  it("maps API, auth and throttling to ERR_GENERIC and node gaps to ERR_INSTALLED", () => {
    for (const code of [
      "NOT_AUTHENTICATED",
      "NOT_AUTHORIZED_OR_NOT_FOUND",
      "THROTTLED",
      "SERVICE_UNAVAILABLE",
      "METADATA_UNAVAILABLE",
      "FEDERATION_FAILED",
    ]) {
      expect(toOcfError(fake("OciVnicError", code)).exitCode).toBe(OcfExit.ERR_GENERIC);
    }
    expect(toOcfError(fake("OciVnicError", "VNIC_NOT_FOUND")).exitCode).toBe(OcfExit.ERR_INSTALLED);
    expect(toOcfError(fake("IprouteError", "PERMISSION_DENIED")).exitCode).toBe(OcfExit.ERR_PERM);
    expect(toOcfError(fake("IprouteError", "INVALID_PREFIX")).exitCode).toBe(
      OcfExit.ERR_CONFIGURED,
    );
  });

  it("keeps OCF errors, wraps unknown ones as ERR_GENERIC with the cause", () => {
    const ocf = new OcfError("NOT_RUNNING", "x");
    expect(toOcfError(ocf)).toBe(ocf);
    const odd = new Error("boom");
    const mapped = toOcfError(odd);
    expect(mapped.exitCode).toBe(OcfExit.ERR_GENERIC);
    expect(mapped.cause).toBe(odd);
    expect(mapped.message).toContain("boom");
  });
});
