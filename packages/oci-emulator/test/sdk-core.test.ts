import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu?.stop();
});

const vnicOf = (name: string): string =>
  emu.scenario.instances.find((i) => i.name === name)!.vnics[0]!.id;
const subnetId = (): string => emu.scenario.subnets[0]!.id;

describe("real OCI SDK with instance principals", () => {
  it("lists, creates, moves and deletes the floating private IP", async () => {
    const provider = await instancePrincipal(emu, "node1");
    const client = networkClient(emu, provider);
    const primary = await client.listPrivateIps({ ipAddress: "192.0.2.11", subnetId: subnetId() });
    expect(primary.items).toHaveLength(1);
    expect(primary.items[0]).toMatchObject({ isPrimary: true, vnicId: vnicOf("node1") });

    const free = await client.listPrivateIps({ ipAddress: "192.0.2.100", subnetId: subnetId() });
    expect(free.items).toEqual([]);

    const created = await client.createPrivateIp({
      createPrivateIpDetails: {
        vnicId: vnicOf("node1"),
        ipAddress: "192.0.2.100",
        displayName: "vip",
      },
    });
    expect(created.privateIp).toMatchObject({
      ipAddress: "192.0.2.100",
      isPrimary: false,
      vnicId: vnicOf("node1"),
    });
    expect(created.etag).toMatch(/^[0-9a-f]{40}$/);

    const moved = await client.updatePrivateIp({
      privateIpId: created.privateIp.id!,
      updatePrivateIpDetails: { vnicId: vnicOf("node2") },
    });
    expect(moved.privateIp.vnicId).toBe(vnicOf("node2"));
    const got = await client.getPrivateIp({ privateIpId: created.privateIp.id! });
    expect(got.privateIp.vnicId).toBe(vnicOf("node2"));

    await client.deletePrivateIp({ privateIpId: created.privateIp.id! });
    const after = await client.listPrivateIps({ vnicId: vnicOf("node2") });
    expect(after.items.map((p) => p.ipAddress)).toEqual(["192.0.2.12"]);

    const log = emu.requestLog().filter((e) => e.operation !== "Imds");
    expect(log.find((e) => e.operation === "Federation")).toMatchObject({
      status: 200,
      signature: "ok",
      instance: "node1",
    });
    expect(log.find((e) => e.operation === "UpdatePrivateIp")).toMatchObject({
      status: 200,
      signature: "ok",
      principal: "instance:node1",
    });
  });

  it("refuses a second IP at an address in use, and primary IP changes", async () => {
    quietSdk();
    const client = networkClient(emu, await instancePrincipal(emu, "node2"));
    const conflict = await sdkError(
      client.createPrivateIp({
        createPrivateIpDetails: { vnicId: vnicOf("node2"), ipAddress: "192.0.2.11" },
      }),
    );
    expect(conflict).toMatchObject({ statusCode: 409, serviceCode: "Conflict" });
    const outside = await sdkError(
      client.createPrivateIp({
        createPrivateIpDetails: { vnicId: vnicOf("node2"), ipAddress: "198.51.100.7" },
      }),
    );
    expect(outside).toMatchObject({ statusCode: 400, serviceCode: "InvalidParameter" });
    const [primary] = (
      await client.listPrivateIps({ ipAddress: "192.0.2.12", subnetId: subnetId() })
    ).items;
    const move = await sdkError(
      client.updatePrivateIp({
        privateIpId: primary!.id!,
        updatePrivateIpDetails: { vnicId: vnicOf("node1") },
      }),
    );
    expect(move).toMatchObject({ statusCode: 400, serviceCode: "InvalidParameter" });
    const del = await sdkError(client.deletePrivateIp({ privateIpId: primary!.id! }));
    expect(del).toMatchObject({ statusCode: 400, serviceCode: "InvalidParameter" });
    const missing = await sdkError(
      client.getPrivateIp({ privateIpId: "ocid1.privateip.oc1.iad.nope" }),
    );
    expect(missing).toMatchObject({ statusCode: 404, serviceCode: "NotAuthorizedOrNotFound" });
    const requestId = (missing as { opcRequestId?: string }).opcRequestId;
    expect(emu.requestLog().at(-1)?.requestId).toBe(requestId);
  });
});

describe("etags, pagination and retry tokens", () => {
  it("answers 412 NoEtagMatch on a stale if-match and pages with opc-next-page", async () => {
    quietSdk();
    const client = networkClient(emu, await instancePrincipal(emu, "node1"));
    const created = await client.createPrivateIp({
      createPrivateIpDetails: { vnicId: vnicOf("node1"), ipAddress: "192.0.2.150" },
    });
    const stale = await sdkError(
      client.updatePrivateIp({
        privateIpId: created.privateIp.id!,
        updatePrivateIpDetails: { displayName: "x" },
        ifMatch: "0000",
      }),
    );
    expect(stale).toMatchObject({ statusCode: 412, serviceCode: "NoEtagMatch" });
    const renamed = await client.updatePrivateIp({
      privateIpId: created.privateIp.id!,
      updatePrivateIpDetails: { displayName: "vip" },
      ifMatch: created.etag!,
    });
    expect(renamed.privateIp.displayName).toBe("vip");

    const first = await client.listPrivateIps({ subnetId: subnetId(), limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.opcNextPage).toBeDefined();
    const second = await client.listPrivateIps({
      subnetId: subnetId(),
      limit: 2,
      page: first.opcNextPage!,
    });
    expect(second.items.map((p) => p.ipAddress)).toEqual(["192.0.2.150"]);
    expect(second.opcNextPage).toBeUndefined();
    await client.deletePrivateIp({ privateIpId: created.privateIp.id! });
  });

  it("replays a create that repeats its opc-retry-token", async () => {
    const client = networkClient(emu, await instancePrincipal(emu, "node2"));
    const details = { vnicId: vnicOf("node2"), ipAddress: "192.0.2.151" };
    const a = await client.createPrivateIp({
      createPrivateIpDetails: details,
      opcRetryToken: "token-151",
    });
    const b = await client.createPrivateIp({
      createPrivateIpDetails: details,
      opcRetryToken: "token-151",
    });
    expect(b.privateIp.id).toBe(a.privateIp.id);
    await client.deletePrivateIp({ privateIpId: a.privateIp.id! });
  });
});

describe("real OCI SDK with config-file auth", () => {
  it("reads the VNIC and the subnet", async () => {
    const { provider, dir } = await configFileProvider(emu);
    try {
      const client = networkClient(emu, provider);
      const vnic = await client.getVnic({ vnicId: vnicOf("node1") });
      expect(vnic.vnic).toMatchObject({
        privateIp: "192.0.2.11",
        macAddress: "02:00:17:00:00:11",
        isPrimary: true,
      });
      const subnet = await client.getSubnet({ subnetId: subnetId() });
      expect(subnet.subnet).toMatchObject({
        cidrBlock: "192.0.2.0/24",
        ipv6CidrBlock: "2001:db8:0:1::/64",
        virtualRouterIp: "192.0.2.1",
      });
      const last = emu.requestLog().at(-1);
      expect(last).toMatchObject({
        operation: "GetSubnet",
        principal: "user:admin",
        signature: "ok",
        status: 200,
      });
    } finally {
      await removeDir(dir);
    }
  });
});
