import { readOcfEnv } from "@ocfkit/ocf";
import { describe, expect, it } from "vitest";
import {
  cloudCheckDue,
  nextCloudCheckAt,
  paramsKey,
  parseState,
  quickPathProblem,
  type ResourceState,
  type StoredState,
} from "./rules.js";

const started: ResourceState = {
  ip: "192.0.2.100",
  dev: "ens3",
  prefixLength: 24,
  vnicId: "ocid1.vnic.x",
  phase: "started",
  lastCloudCheck: 1_000_000,
  nextCloudCheck: nextCloudCheckAt(1_000_000, 60),
};

describe("cloudCheckDue", () => {
  it("always at depth 10", () => {
    expect(cloudCheckDue(started, 1_000_001, 10, 60)).toBe(true);
  });

  it("at depth 0 only once cloud_check_interval has passed", () => {
    expect(cloudCheckDue(started, 1_000_000 + 59_999, 0, 60)).toBe(false);
    expect(cloudCheckDue(started, 1_000_000 + 60_000, 0, 60)).toBe(true);
  });

  it("when there is no record, a killed start left one, the ticket was revoked, or the clock went back", () => {
    expect(cloudCheckDue(undefined, 1_000_001, 0, 60)).toBe(true);
    expect(cloudCheckDue({ ...started, phase: "starting" }, 1_000_001, 0, 60)).toBe(true);
    const { nextCloudCheck: _, ...revoked } = started;
    expect(cloudCheckDue(revoked, 1_000_001, 0, 60)).toBe(true);
    expect(cloudCheckDue(started, 999_000, 0, 60)).toBe(true);
  });

  it("when the record promises more than the interval allows (a shorter interval, or a forged one)", () => {
    expect(cloudCheckDue(started, 1_000_001, 0, 30)).toBe(true);
    const forged = { ...started, nextCloudCheck: Number.MAX_SAFE_INTEGER };
    expect(cloudCheckDue(forged, 1_000_001, 0, 60)).toBe(true);
  });
});

describe("parseState", () => {
  const stored: StoredState = { ...started, version: 1, params: "OCF_RESKEY_x=1" };

  it("reads back what the agent writes", () => {
    expect(parseState(JSON.stringify(stored))).toEqual(stored);
  });

  it.each([
    ["not JSON", "{"],
    ["null", "null"],
    ["another version", JSON.stringify({ ...stored, version: 2 })],
    ["no ip", JSON.stringify({ ...stored, ip: "" })],
    ["a prefix out of range", JSON.stringify({ ...stored, prefixLength: 129 })],
    ["an unknown phase", JSON.stringify({ ...stored, phase: "running" })],
    ["a time that is text", JSON.stringify({ ...stored, nextCloudCheck: "9999999999999" })],
    ["no parameters' key", JSON.stringify({ ...stored, params: undefined })],
  ])("rejects %s", (_, text) => {
    expect(parseState(text)).toBeUndefined();
  });
});

describe("paramsKey and quickPathProblem", () => {
  const env = {
    OCF_RESKEY_secondary_private_ip: "192.0.2.100",
    OCF_RESKEY_CRM_meta_timeout: "20000",
    OCF_RESKEY_cloud_check_interval: "60",
  };
  const stored: StoredState = { ...started, version: 1, params: paramsKey(env) };
  const check = (e: Record<string, string>, state = stored, now = 1_000_001) =>
    quickPathProblem(readOcfEnv(e), e, state, now);

  it("leaves Pacemaker's CRM_meta_* out of the key", () => {
    expect(paramsKey(env)).toBe(
      "OCF_RESKEY_cloud_check_interval=60\nOCF_RESKEY_secondary_private_ip=192.0.2.100",
    );
    expect(paramsKey({ ...env, OCF_RESKEY_CRM_meta_interval: "20000" })).toBe(paramsKey(env));
  });

  it("lets the quick path answer only for the same parameters, at depth 0, untraced, in time", () => {
    expect(check(env)).toBeUndefined();
    expect(check({ ...env, OCF_RESKEY_secondary_private_ip: "192.0.2.101" })).toMatch(/parameters/);
    expect(check({ ...env, OCF_CHECK_LEVEL: "10" })).toMatch(/OCF_CHECK_LEVEL/);
    expect(check({ ...env, OCF_TRACE_RA: "yes" })).toMatch(/tracing/);
    expect(check({ ...env, HA_debug: "1" })).toMatch(/HA_debug/);
    expect(check(env, stored, 1_000_000 + 60_000)).toMatch(/cloud check due/);
    expect(quickPathProblem(readOcfEnv(env), env, undefined, 1_000_001)).toMatch(/no state/);
    const odd = { ...env, OCF_RESKEY_cloud_check_interval: "1e3" };
    expect(check(odd, { ...stored, params: paramsKey(odd) })).toMatch(/full agent/);
  });
});
