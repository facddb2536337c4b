import type * as common from "oci-common";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultScenario, type Emulator, type Scenario, startEmulator } from "../src/index.js";
import {
  computeClient,
  configFileProvider,
  instancePrincipal,
  networkClient,
  quietSdk,
  removeDir,
  sdkError,
} from "./helpers.js";

let emu: Emulator;
let user: common.ConfigFileAuthenticationDetailsProvider;
let dir: string;
beforeAll(async () => {
  const base = defaultScenario();
  const scenario: Scenario = {
    ...base,
    limits: { secondaryIpv4PerVnic: 2, ipv6PerVnic: 2 },
    instances: [
      ...base.instances,
      {
        name: "outsider",
        compartment: "ha",
        vnics: [{ subnet: "subnet-ha", macAddress: "02:00:17:00:00:13", privateIp: "192.0.2.13" }],
      },
    ],
    users: [{ name: "admin" }, { name: "auditor" }],
    grants: [
      { principal: "dynamic-group:ha-nodes", compartment: "ha", verb: "manage" },
      { principal: "user:admin", compartment: "ha", verb: "manage" },
      { principal: "instance:outsider", compartment: "ha", verb: "read" },
    ],
  };
  emu = await startEmulator({ scenario });
  ({ provider: user, dir } = await configFileProvider(emu));
});
afterAll(async () => {
  await emu?.stop();
  if (dir) await removeDir(dir);
});

const vnicOf = (name: string): string =>
  emu.scenario.instances.find((i) => i.name === name)!.vnics[0]!.id;
const subnetId = (): string => emu.scenario.subnets[0]!.id;

describe("IPv6 through the SDK", () => {
  it("creates, lists by address (any spelling), moves within the subnet and deletes", async () => {
    const client = networkClient(emu, await instancePrincipal(emu, "node1"));
    const created = await client.createIpv6({
      createIpv6Details: { vnicId: vnicOf("node1"), ipAddress: "2001:db8:0:1:0:0:0:100" },
    });
    expect(created.ipv6).toMatchObject({ ipAddress: "2001:db8:0:1::100", vnicId: vnicOf("node1") });
    const listed = await client.listIpv6s({ ipAddress: "2001:DB8:0:1::100", subnetId: subnetId() });
    expect(listed.items.map((i) => i.id)).toEqual([created.ipv6.id]);
    const vnic = await client.getVnic({ vnicId: vnicOf("node1") });
    expect(vnic.vnic.ipv6Addresses).toEqual(["2001:db8:0:1::100"]);
    const moved = await client.updateIpv6({
      ipv6Id: created.ipv6.id!,
      updateIpv6Details: { vnicId: vnicOf("node2") },
    });
    expect(moved.ipv6.vnicId).toBe(vnicOf("node2"));
    expect((await client.getIpv6({ ipv6Id: created.ipv6.id! })).ipv6.vnicId).toBe(vnicOf("node2"));
    await client.deleteIpv6({ ipv6Id: created.ipv6.id! });
    expect((await client.listIpv6s({ vnicId: vnicOf("node2") })).items).toEqual([]);
  });

  it("refuses an IPv6 outside the subnet prefix and one already in use", async () => {
    quietSdk();
    const client = networkClient(emu, user);
    const outside = await sdkError(
      client.createIpv6({
        createIpv6Details: { vnicId: vnicOf("node1"), ipAddress: "2001:db8:0:2::5" },
      }),
    );
    expect(outside).toMatchObject({ statusCode: 400, serviceCode: "InvalidParameter" });
    const first = await client.createIpv6({ createIpv6Details: { vnicId: vnicOf("node1") } });
    const again = await sdkError(
      client.createIpv6({
        createIpv6Details: { vnicId: vnicOf("node2"), ipAddress: first.ipv6.ipAddress! },
      }),
    );
    expect(again).toMatchObject({ statusCode: 409, serviceCode: "Conflict" });
    await client.deleteIpv6({ ipv6Id: first.ipv6.id! });
  });
});

describe("Compute vnicAttachments through the SDK", () => {
  it("lists an instance's attachments with nic index", async () => {
    const compute = computeClient(emu, await instancePrincipal(emu, "node2"));
    const node2 = emu.scenario.instances.find((i) => i.name === "node2")!;
    const result = await compute.listVnicAttachments({
      compartmentId: emu.scenario.compartments[0]!.id,
      instanceId: node2.id,
    });
    expect(result.items).toHaveLength(1);
    expect(result.items[0]).toMatchObject({
      vnicId: vnicOf("node2"),
      nicIndex: 0,
      lifecycleState: "ATTACHED",
    });
  });
});

describe("limits and IAM", () => {
  it("enforces the per-VNIC secondary IP limit, also on moves", async () => {
    quietSdk();
    const client = networkClient(emu, user);
    const ids: string[] = [];
    for (const ip of ["192.0.2.100", "192.0.2.101"]) {
      ids.push(
        (
          await client.createPrivateIp({
            createPrivateIpDetails: { vnicId: vnicOf("node1"), ipAddress: ip },
          })
        ).privateIp.id!,
      );
    }
    const third = await sdkError(
      client.createPrivateIp({
        createPrivateIpDetails: { vnicId: vnicOf("node1"), ipAddress: "192.0.2.102" },
      }),
    );
    expect(third).toMatchObject({ statusCode: 400, serviceCode: "LimitExceeded" });
    const other = await client.createPrivateIp({
      createPrivateIpDetails: { vnicId: vnicOf("node2") },
    });
    expect(other.privateIp.ipAddress).toBe("192.0.2.2");
    const full = await sdkError(
      client.updatePrivateIp({
        privateIpId: other.privateIp.id!,
        updatePrivateIpDetails: { vnicId: vnicOf("node1") },
      }),
    );
    expect(full).toMatchObject({ statusCode: 400, serviceCode: "LimitExceeded" });
    for (const id of [...ids, other.privateIp.id!])
      await client.deletePrivateIp({ privateIpId: id });
  });

  it("answers 404 NotAuthorizedOrNotFound without a grant, as OCI does", async () => {
    quietSdk();
    const outsider = networkClient(emu, await instancePrincipal(emu, "outsider"));
    const list = await outsider.listPrivateIps({ vnicId: vnicOf("node1") });
    expect(list.items.length).toBe(1);
    const denied = await sdkError(
      outsider.createPrivateIp({
        createPrivateIpDetails: { vnicId: vnicOf("node1"), ipAddress: "192.0.2.100" },
      }),
    );
    expect(denied).toMatchObject({ statusCode: 404, serviceCode: "NotAuthorizedOrNotFound" });
    expect(emu.requestLog().at(-1)).toMatchObject({
      principal: "instance:outsider",
      signature: "ok",
      status: 404,
    });
    expect(emu.state().privateIps.some((p) => p.ipAddress === "192.0.2.100")).toBe(false);
  });
});
