import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createOciApiClient,
  createOciVnic,
  isOciVnicError,
  type OciVnicOptions,
} from "../src/index.js";
import { assertLoopback, type Harness, startHarness } from "./harness.js";

let h: Harness;
let node2: string;
let n = 0;

function options(instance: "node1" | "node2", cacheDir?: string): OciVnicOptions {
  const endpoints = {
    metadata: h.emu.urls.imds[instance],
    federation: h.emu.urls.federation,
    api: h.emu.urls.api,
  };
  assertLoopback(endpoints);
  return {
    endpoints,
    region: h.emu.region,
    cacheDir: cacheDir ?? join(h.dir, `req-${n++}`),
    retry: { baseDelayMs: 20, maxDelayMs: 100, attemptTimeoutMs: 2000 },
  };
}

const getInstance = (id: string) => ({
  operation: "GetInstance",
  method: "GET" as const,
  path: "/instances/{instanceId}",
  pathParams: { instanceId: id },
});
const stop = (id: string, idempotent = true) => ({
  operation: "InstanceAction",
  method: "POST" as const,
  path: "/instances/{instanceId}",
  pathParams: { instanceId: id },
  queryParams: { action: "STOP" },
  idempotent,
});

beforeAll(async () => {
  h = await startHarness();
  node2 = h.emu.scenario.instances.find((i) => i.name === "node2")!.id;
});
afterAll(async () => {
  await h?.stop();
});
beforeEach(async () => {
  await h.emu.compute.settled();
  h.emu.reset();
  h.emu.compute.setTimings({ stopMs: 20, startMs: 20 });
});

describe("createOciApiClient", () => {
  it("sends signed Compute requests as the instance (verified by the emulator)", async () => {
    const api = createOciApiClient(options("node1"));
    const got = await api.request<{ lifecycleState: string; displayName: string }>(
      getInstance(node2),
    );
    expect(got.body).toMatchObject({ lifecycleState: "RUNNING", displayName: "node2" });
    expect(got.etag).toMatch(/^[0-9a-f]{40}$/);
    const acted = await api.request<{ lifecycleState: string }>(stop(node2));
    expect(acted.body.lifecycleState).toBe("STOPPING");
    const log = h.emu.requestLog().filter((e) => e.operation !== "Imds");
    expect(log.map((e) => `${e.operation} ${e.signature} ${e.principal ?? ""}`)).toEqual([
      "Federation ok instance:node1",
      "GetInstance ok instance:node1",
      "InstanceAction ok instance:node1",
    ]);
    expect(api.requestCounts()).toMatchObject({ Federation: 1, GetInstance: 1, InstanceAction: 1 });
  });

  it("shares the instance-principal session cache with createOciVnic (no second federation)", async () => {
    const dir = join(h.dir, `shared-${n++}`);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const vnic = createOciVnic(options("node1", dir));
    await vnic.prepare("192.0.2.100");
    h.emu.clearRequestLog();
    const api = createOciApiClient(options("node1", dir));
    await api.request(getInstance(node2));
    expect(h.emu.requestLog().map((e) => e.operation)).toEqual(["GetInstance"]);
  });

  it("retries an idempotent write after 503s within the deadline; not a plain write", async () => {
    const api = createOciApiClient(options("node1"));
    await api.request(getInstance(node2));
    h.emu.faults.add({ operation: "InstanceAction", status: 503, count: 2 });
    const acted = await api.request<{ lifecycleState: string }>(stop(node2), { timeoutMs: 5000 });
    expect(acted.body.lifecycleState).toBe("STOPPING");
    expect(api.requestCounts().InstanceAction).toBe(3);

    await h.emu.compute.settled();
    h.emu.reset();
    h.emu.faults.add({ operation: "InstanceAction", status: 503, count: 1 });
    const failed = await api.request(stop(node2, false)).catch((e: unknown) => e);
    expect(isOciVnicError(failed, "SERVICE_UNAVAILABLE")).toBe(true);
    expect(h.emu.compute.state(node2)).toBe("RUNNING");
  });

  it("gives up at the deadline while the API stays down (TIMEOUT)", async () => {
    const api = createOciApiClient(options("node1"));
    await api.request(getInstance(node2));
    h.emu.faults.add({ operation: "GetInstance", status: 503 });
    const t0 = Date.now();
    const failed = await api.request(getInstance(node2), { timeoutMs: 600 }).catch((e) => e);
    expect(isOciVnicError(failed)).toBe(true);
    expect(["TIMEOUT", "SERVICE_UNAVAILABLE"]).toContain((failed as { code: string }).code);
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it("names the caller's IAM statement on 404 NotAuthorizedOrNotFound", async () => {
    const api = createOciApiClient(options("node1"));
    const hint = "Allow dynamic-group ha-nodes to use instances in compartment ha";
    const failed = await api
      .request({ ...getInstance("ocid1.instance.oc1.iad.nope"), iamHint: hint })
      .catch((e: unknown) => e);
    expect(isOciVnicError(failed, "NOT_AUTHORIZED_OR_NOT_FOUND")).toBe(true);
    expect((failed as Error).message).toContain(hint);
    expect((failed as Error).message).not.toContain("virtual-network-family");
    expect((failed as { policyHint: string }).policyHint).toBe(hint);
  });

  it("authenticates with an API key from a config file", async () => {
    const api = createOciApiClient({ ...options("node1"), auth: await h.configAuth() });
    const got = await api.request<{ lifecycleState: string }>(getInstance(node2));
    expect(got.body.lifecycleState).toBe("RUNNING");
    expect(h.emu.requestLog().at(-1)?.principal).toBe("user:admin");
  });
});
