import { describe, expect, it } from "vitest";
import { isProbe, readOcfEnv } from "./env.js";

describe("readOcfEnv", () => {
  it("has sensible defaults with no environment", () => {
    const env = readOcfEnv({});
    expect(env).toMatchObject({
      root: "/usr/lib/ocf",
      resourceInstance: undefined,
      checkLevel: 0,
      rscTmp: "/run/resource-agents",
      traceRa: false,
      debug: false,
    });
    expect(env.meta.intervalMs).toBeUndefined();
    expect(isProbe("monitor", env)).toBe(false);
  });

  it("types Pacemaker's variables", () => {
    const env = readOcfEnv({
      OCF_ROOT: "/opt/ocf",
      OCF_RESOURCE_INSTANCE: "vip:1",
      OCF_RESOURCE_TYPE: "ocivip",
      OCF_CHECK_LEVEL: "10",
      HA_RSCTMP: "/tmp/rsc",
      OCF_RESKEY_CRM_meta_interval: "0",
      OCF_RESKEY_CRM_meta_timeout: "20000",
      OCF_RESKEY_CRM_meta_clone: "1",
      OCF_RESKEY_CRM_meta_clone_max: "2",
      OCF_RESKEY_CRM_meta_notify: "true",
      OCF_RESKEY_CRM_meta_promotable: "true",
      OCF_RESKEY_CRM_meta_master_max: "1",
      OCF_RESKEY_CRM_meta_notify_type: "pre",
      OCF_RESKEY_CRM_meta_notify_operation: "start",
      OCF_RESKEY_CRM_meta_notify_start_uname: "node1  node2",
      OCF_RESKEY_CRM_meta_migrate_target: "node2",
      OCF_TRACE_RA: "1",
      HA_debug: "1",
      HA_LOGFACILITY: "none",
      HA_LOGFILE: "/tmp/ha.log",
    });
    expect(env).toMatchObject({ root: "/opt/ocf", resourceInstance: "vip:1", checkLevel: 10 });
    expect(env.meta).toMatchObject({
      intervalMs: 0,
      timeoutMs: 20000,
      clone: 1,
      cloneMax: 2,
      notify: true,
      promotable: true,
      promotedMax: 1,
      migrateTarget: "node2",
      migrateSource: undefined,
    });
    expect(env.meta.notification).toEqual({
      type: "pre",
      operation: "start",
      lists: { start_uname: ["node1", "node2"] },
    });
    expect(env.log).toEqual({
      facility: undefined,
      tag: undefined,
      file: "/tmp/ha.log",
      debugFile: undefined,
    });
    expect(env.traceRa && env.debug).toBe(true);
    expect(isProbe("monitor", env)).toBe(true);
    expect(isProbe("start", env)).toBe(false);
  });

  it("reads malformed Pacemaker numbers as unset", () => {
    expect(readOcfEnv({ OCF_RESKEY_CRM_meta_timeout: "soon" }).meta.timeoutMs).toBeUndefined();
    expect(readOcfEnv({ OCF_RESKEY_CRM_meta_timeout: "0" }).meta.timeoutMs).toBeUndefined();
    expect(readOcfEnv({ HA_debug: "0" }).debug).toBe(false);
  });
});
