import * as common from "oci-common";
import * as core from "oci-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../src/index.js";
import {
  configFileProvider,
  instancePrincipal,
  networkClient,
  quietSdk,
  removeDir,
  sdkError,
} from "./helpers.js";

let emu: Emulator;
let provider: common.ConfigFileAuthenticationDetailsProvider;
let dir: string;
beforeAll(async () => {
  emu = await startEmulator();
  ({ provider, dir } = await configFileProvider(emu));
});
afterAll(async () => {
  await emu?.stop();
  if (dir) await removeDir(dir);
});
afterEach(() => {
  emu.reset();
});

const vnic1 = (): string => emu.scenario.instances[0]!.vnics[0]!.id;
const subnetId = (): string => emu.scenario.subnets[0]!.id;

describe("faults as the SDK sees them", () => {
  it("429 with Retry-After, then success; the SDK's retry configuration rides it out", async () => {
    quietSdk();
    const client = networkClient(emu, provider);
    emu.faults.add({ operation: "GetVnic", status: 429, retryAfterSeconds: 1, count: 1 });
    const throttled = await sdkError(client.getVnic({ vnicId: vnic1() }));
    expect(throttled).toMatchObject({ statusCode: 429, serviceCode: "TooManyRequests" });
    expect((await client.getVnic({ vnicId: vnic1() })).vnic.id).toBe(vnic1());

    emu.faults.add({ operation: "ListPrivateIps", status: 429, count: 2 });
    const retrying = networkClient(emu, provider);
    const result = await retrying.listPrivateIps({
      subnetId: subnetId(),
      retryConfiguration: {
        terminationStrategy: new common.MaxAttemptsTerminationStrategy(3),
        delayStrategy: new common.FixedTimeDelayStrategy(0.05),
      },
    });
    expect(result.items.length).toBe(2);
    const lists = emu.requestLog().filter((e) => e.operation === "ListPrivateIps");
    expect(lists.map((e) => e.status)).toEqual([429, 429, 200]);
  });

  it("500 and 503 with OCI's service codes", async () => {
    quietSdk();
    const client = networkClient(emu, provider);
    emu.faults.add({ operation: "CreatePrivateIp", status: 500, count: 1 });
    emu.faults.add({ operation: "GetSubnet", status: 503, count: 1 });
    expect(
      await sdkError(
        client.createPrivateIp({
          createPrivateIpDetails: { vnicId: vnic1(), ipAddress: "192.0.2.100" },
        }),
      ),
    ).toMatchObject({ statusCode: 500, serviceCode: "InternalServerError" });
    expect(await sdkError(client.getSubnet({ subnetId: subnetId() }))).toMatchObject({
      statusCode: 503,
      serviceCode: "ServiceUnavailable",
    });
    expect(emu.state().privateIps.some((p) => p.ipAddress === "192.0.2.100")).toBe(false);
  });

  it("latency delays the answer", async () => {
    const client = networkClient(emu, provider);
    emu.faults.add({ operation: "GetVnic", latencyMs: 300, count: 1 });
    const started = performance.now();
    await client.getVnic({ vnicId: vnic1() });
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("a hang is cut by the caller's abort signal; a reset is a transport error", async () => {
    quietSdk();
    emu.faults.add({ operation: "UpdatePrivateIp", hang: true });
    const aborting = new core.VirtualNetworkClient({ authenticationDetailsProvider: provider }, {
      httpOptions: { signal: AbortSignal.timeout(300) },
    } as common.ClientConfiguration);
    aborting.endpoint = emu.urls.api;
    const hung = await sdkError(
      aborting.updatePrivateIp({
        privateIpId: "ocid1.privateip.oc1.iad.x",
        updatePrivateIpDetails: { displayName: "x" },
      }),
    );
    expect(hung.statusCode).toBeUndefined();
    expect(String(hung.message)).toMatch(/abort|timeout/i);

    emu.faults.add({ operation: "DeletePrivateIp", reset: true, count: 1 });
    const reset = await sdkError(
      networkClient(emu, provider).deletePrivateIp({ privateIpId: "ocid1.privateip.oc1.iad.x" }),
    );
    expect(reset.statusCode).toBeUndefined();
    expect(String(reset.message)).toMatch(/fetch failed/);
    expect(emu.requestLog().find((e) => e.operation === "DeletePrivateIp")).toMatchObject({
      status: 0,
      fault: expect.any(String),
    });
  });

  it("metadata service down for one instance fails its instance-principal build only", async () => {
    quietSdk();
    emu.faults.add({ operation: "Imds", instance: "node1", reset: true });
    await expect(instancePrincipal(emu, "node1")).rejects.toBeDefined();
    const node2 = networkClient(emu, await instancePrincipal(emu, "node2"));
    expect((await node2.getVnic({ vnicId: vnic1() })).vnic.id).toBe(vnic1());
  });

  it("federation failure fails the first signed call (after the SDK's 3 attempts)", async () => {
    quietSdk();
    const ip = await instancePrincipal(emu, "node1");
    emu.faults.add({ operation: "Federation", status: 500, count: 3 });
    const client = networkClient(emu, ip);
    await expect(client.getVnic({ vnicId: vnic1() })).rejects.toBeDefined();
    expect(
      emu
        .requestLog()
        .filter((e) => e.operation === "Federation")
        .map((e) => e.status),
    ).toEqual([500, 500, 500]);
    emu.faults.clear();
    const fresh = networkClient(emu, await instancePrincipal(emu, "node2"));
    expect((await fresh.getVnic({ vnicId: vnic1() })).vnic.id).toBe(vnic1());
  }, 20_000);

  it("eventual consistency: a created IP is listed only after the delay", async () => {
    const client = networkClient(emu, provider);
    emu.setConsistencyDelay(400);
    const created = await client.createPrivateIp({
      createPrivateIpDetails: { vnicId: vnic1(), ipAddress: "192.0.2.100" },
    });
    const soon = await client.listPrivateIps({ ipAddress: "192.0.2.100", subnetId: subnetId() });
    expect(soon.items).toEqual([]);
    await new Promise((r) => setTimeout(r, 450));
    const later = await client.listPrivateIps({ ipAddress: "192.0.2.100", subnetId: subnetId() });
    expect(later.items.map((p) => p.id)).toEqual([created.privateIp.id]);
  });
});
