import { AssertionError } from "node:assert";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GenericError } from "./errors.js";
import { writeFileAtomic } from "./state.js";
import { assertOcfResult, buildOcfEnv, type OcfRunResult } from "./testing.js";

const result: OcfRunResult = {
  exitCode: 6,
  exitName: "ERR_CONFIGURED",
  stdout: "",
  stderr: 'ocf-exit-reason:parameter "x": bad\n',
  exitReason: 'parameter "x": bad',
};

describe("testing helpers", () => {
  it("build an OCF environment", () => {
    expect(
      buildOcfEnv({
        params: { a: 1, b: true, c: undefined },
        meta: { interval: 0 },
        rscTmp: "/tmp/r",
        checkLevel: 10,
        env: { HA_debug: "1" },
      }),
    ).toEqual({
      OCF_ROOT: "/usr/lib/ocf",
      OCF_RESOURCE_INSTANCE: "test",
      OCF_RESKEY_a: "1",
      OCF_RESKEY_b: "true",
      OCF_RESKEY_CRM_meta_interval: "0",
      HA_RSCTMP: "/tmp/r",
      OCF_CHECK_LEVEL: "10",
      HA_debug: "1",
    });
  });

  it("assertOcfResult passes on a match and explains a mismatch", () => {
    expect(() => assertOcfResult(result, { exitCode: 6, exitReason: /"x"/ })).not.toThrow();
    expect(() => assertOcfResult(result, { exitCode: 0 })).toThrow(AssertionError);
    expect(() => assertOcfResult(result, { exitCode: 0 })).toThrow(
      /exit code 6 \(ERR_CONFIGURED\), expected 0 \(SUCCESS\)[\s\S]*--- stderr\nocf-exit-reason/,
    );
    expect(() => assertOcfResult(result, { exitReason: null })).toThrow(/unexpected exit reason/);
    expect(() => assertOcfResult(result, { stdout: /xml/ })).toThrow(/stdout does not match/);
  });
});

describe("writeFileAtomic", () => {
  it("wraps failures in a GenericError with the cause", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ocf-atomic-"));
    try {
      await writeFile(join(dir, "file"), "x");
      const error = await writeFileAtomic(join(dir, "file", "child"), "y").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GenericError);
      expect((error as GenericError).message).toContain("cannot write state file");
      expect((error as GenericError).cause).toMatchObject({
        code: expect.stringMatching(/^E[A-Z]+$/),
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
