import { createHash, createSign, generateKeyPairSync, X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type * as common from "oci-common";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, realShapesScenario, ruleTarget, startEmulator } from "../src/index.js";
import {
  configFileProvider,
  instancePrincipal,
  networkClient,
  quietSdk,
  removeDir,
  sdkError,
} from "./helpers.js";

const fixtures = join(import.meta.dirname, "fixtures", "real-shapes");

let emu: Emulator;
let user: common.ConfigFileAuthenticationDetailsProvider;
let dir: string;
beforeAll(async () => {
  const scenario = realShapesScenario();
  scenario.publicIps = [
    { name: "vm1-reserved", compartment: "ha", ipAddress: "203.0.113.5", privateIp: "192.0.2.11" },
  ];
  scenario.routeTables = [{ name: "rt-ha", vcn: "vcn-ha", compartment: "ha" }];
  emu = await startEmulator({ scenario });
  ({ provider: user, dir } = await configFileProvider(emu));
});
afterAll(async () => {
  await emu?.stop();
  if (dir) await removeDir(dir);
});

const imds = (instance: string, path: string, headers: Record<string, string> = {}) =>
  fetch(`${emu.urls.imds[instance]}${path}`, {
    headers: { Authorization: "Bearer Oracle", ...headers },
  });
const vnic = (instance: string, index: number) =>
  emu.scenario.instances.find((i) => i.name === instance)!.vnics[index]!.id;
const subnetId = (name: string) => emu.scenario.subnets.find((s) => s.name === name)!.id;

describe("real metadata shapes (fixture set)", () => {
  it.each(["vm1", "bm1"])("%s: /opc/v2/vnics/ is exactly the real-shape fixture", async (name) => {
    const expected = JSON.parse(await readFile(join(fixtures, `${name}.vnics.json`), "utf8"));
    expect(await (await imds(name, "vnics/")).json()).toEqual(expected);
  });

  it("reports the short region key of an older region and the canonical name", async () => {
    expect(await (await imds("vm1", "instance/region")).text()).toBe("phx");
    expect(await (await imds("vm1", "instance/canonicalRegionName")).text()).toBe("us-phoenix-1");
  });

  it("refuses nicIndex on a VM and a private IPv4 on an IPv6-only subnet", async () => {
    const { resolveScenario } = await import("../src/index.js");
    const vmNic = realShapesScenario();
    vmNic.instances[0]!.vnics[0]!.nicIndex = 0;
    expect(() => resolveScenario(vmNic)).toThrow(/nicIndex: only bare metal shapes/);
    const v4 = realShapesScenario();
    v4.instances[0]!.vnics[2]!.privateIp = "192.0.2.99";
    expect(() => resolveScenario(v4)).toThrow(/subnet-v6 is IPv6-only/);
  });

  it("refuses metadata requests carrying Forwarded or X-Forwarded-* headers", async () => {
    expect((await imds("vm1", "instance/")).status).toBe(200);
    for (const header of ["Forwarded", "X-Forwarded-For", "X-Forwarded-Host"]) {
      const res = await imds("vm1", "instance/", { [header]: "for=198.51.100.1" });
      expect(res.status).toBe(403);
      expect(await res.text()).toContain(header.toLowerCase());
    }
  });
});

describe("subnets with several IPv4 CIDRs", () => {
  it("GetSubnet lists both blocks; a private IP in the secondary block can be created", async () => {
    const client = networkClient(emu, await instancePrincipal(emu, "vm1"));
    const { subnet } = await client.getSubnet({ subnetId: subnetId("subnet-app") });
    expect(subnet.cidrBlock).toBe("192.0.2.0/25");
    expect(subnet.ipv4CidrBlocks).toEqual(["192.0.2.0/25", "192.0.2.128/25"]);
    const { privateIp } = await client.createPrivateIp({
      createPrivateIpDetails: { vnicId: vnic("vm1", 0), ipAddress: "192.0.2.200" },
    });
    expect(privateIp.subnetId).toBe(subnetId("subnet-app"));
    quietSdk();
    const err = await sdkError(
      client.createPrivateIp({
        createPrivateIpDetails: { vnicId: vnic("vm1", 0), ipAddress: "192.0.2.255" },
      }),
    );
    expect(err).toMatchObject({ statusCode: 400, serviceCode: "InvalidParameter" });
    const v6only = await sdkError(
      client.createPrivateIp({ createPrivateIpDetails: { vnicId: vnic("vm1", 2) } }),
    );
    expect(v6only.message).toMatch(/IPv6-only/);
    await client.deletePrivateIp({ privateIpId: privateIp.id! });
  });
});

describe("IPv6 lifecycle", () => {
  it("a deleted IPv6 stays TERMINATING (on its VNIC, address taken) for the scenario's period", async () => {
    const client = networkClient(emu, await instancePrincipal(emu, "vm1"));
    const { ipv6 } = await client.createIpv6({
      createIpv6Details: { vnicId: vnic("vm1", 0), ipAddress: "2001:db8:0:a::100" },
    });
    await client.deleteIpv6({ ipv6Id: ipv6.id! });
    const during = await client.listIpv6s({
      ipAddress: "2001:db8:0:a::100",
      subnetId: subnetId("subnet-app"),
    });
    expect(during.items).toEqual([
      expect.objectContaining({ lifecycleState: "TERMINATING", vnicId: vnic("vm1", 0) }),
    ]);
    expect((await client.getVnic({ vnicId: vnic("vm1", 0) })).vnic.ipv6Addresses).toEqual([]);
    quietSdk();
    const again = await sdkError(
      client.createIpv6({
        createIpv6Details: { vnicId: vnic("vm1", 0), ipAddress: "2001:db8:0:a::100" },
      }),
    );
    expect(again).toMatchObject({ statusCode: 409 });
    const move = await sdkError(
      client.updateIpv6({ ipv6Id: ipv6.id!, updateIpv6Details: { vnicId: vnic("vm2", 0) } }),
    );
    expect(move).toMatchObject({ statusCode: 409, serviceCode: "IncorrectState" });
    await new Promise((r) => setTimeout(r, 1600));
    const after = await client.listIpv6s({
      ipAddress: "2001:db8:0:a::100",
      subnetId: subnetId("subnet-app"),
    });
    expect(after.items).toEqual([]);
  });
});

describe("public IPs and route rules bound to a private IP", () => {
  it("follow a moved private IP (same OCID); DeletePrivateIp unassigns them and blackholes routes", async () => {
    const admin = networkClient(emu, user);
    const { privateIp } = await admin.createPrivateIp({
      createPrivateIpDetails: { vnicId: vnic("vm1", 0), ipAddress: "192.0.2.100" },
    });
    const compartmentId = emu.scenario.compartments[0]!.id;
    const { publicIp } = await admin.createPublicIp({
      createPublicIpDetails: {
        compartmentId,
        lifetime: "RESERVED" as never,
        privateIpId: privateIp.id!,
      },
    });
    expect(publicIp).toMatchObject({ lifecycleState: "ASSIGNED", privateIpId: privateIp.id! });
    const [table] = (await admin.listRouteTables({ compartmentId })).items;
    await admin.updateRouteTable({
      rtId: table!.id!,
      updateRouteTableDetails: {
        routeRules: [{ destination: "198.51.100.0/24", networkEntityId: privateIp.id! }],
      },
    });

    await admin.updatePrivateIp({
      privateIpId: privateIp.id!,
      updatePrivateIpDetails: { vnicId: vnic("vm2", 0) },
    });
    const bound = await admin.getPublicIpByPrivateIpId({
      getPublicIpByPrivateIpIdDetails: { privateIpId: privateIp.id! },
    });
    expect(bound.publicIp.id).toBe(publicIp.id);
    const state = emu.state();
    const rule = state.routeTables[0]!.routeRules[0]!;
    expect(ruleTarget(state, rule)).toEqual({ vnicId: vnic("vm2", 0) });

    await admin.deletePrivateIp({ privateIpId: privateIp.id! });
    const released = await admin.getPublicIp({ publicIpId: publicIp.id! });
    expect(released.publicIp.lifecycleState).toBe("AVAILABLE");
    expect(released.publicIp.privateIpId).toBeUndefined();
    expect(ruleTarget(emu.state(), rule)).toBe("blackhole");
    quietSdk();
    const none = await sdkError(
      admin.getPublicIpByPrivateIpId({
        getPublicIpByPrivateIpIdDetails: { privateIpId: privateIp.id! },
      }),
    );
    expect(none).toMatchObject({ statusCode: 404 });
  });

  it("lists the scenario's reserved public IP on vm1's primary private IP", async () => {
    const admin = networkClient(emu, user);
    const { items } = await admin.listPublicIps({
      scope: "REGION" as never,
      compartmentId: emu.scenario.compartments[0]!.id,
      lifetime: "RESERVED" as never,
    });
    expect(items.find((p) => p.ipAddress === "203.0.113.5")).toMatchObject({
      lifecycleState: "ASSIGNED",
      assignedEntityType: "PRIVATE_IP",
    });
  });

  it("answers a missing argument with 400 MissingParameter", async () => {
    quietSdk();
    const admin = networkClient(emu, user);
    const err = await sdkError(
      admin.listPublicIps({ scope: "REGION" as never, compartmentId: undefined as never }),
    );
    expect(err).toMatchObject({ statusCode: 400, serviceCode: "MissingParameter" });
    const create = await sdkError(
      admin.createPrivateIp({ createPrivateIpDetails: { displayName: "no-vnic" } }),
    );
    expect(create).toMatchObject({ statusCode: 400, serviceCode: "MissingParameter" });
  });
});

describe("federation forms of other SDKs", () => {
  // What the Python and Go SDKs send: no `host` in the signed headers, and (newer ones) a
  // SHA-256 certificate fingerprint in the key id.
  async function federate(keyIdKind: "sha1" | "sha256", signHost: boolean): Promise<Response> {
    const certPem = await (await imds("vm1", "identity/cert.pem")).text();
    const keyPem = await (await imds("vm1", "identity/key.pem")).text();
    const intermediatePem = await (await imds("vm1", "identity/intermediate.pem")).text();
    const der = (pem: string) => new X509Certificate(pem).raw;
    const session = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const body = JSON.stringify({
      certificate: der(certPem).toString("base64"),
      publicKey: session.publicKey.export({ type: "spki", format: "der" }).toString("base64"),
      intermediateCertificates: [der(intermediatePem).toString("base64")],
      purpose: "DEFAULT",
    });
    const url = new URL(`${emu.urls.federation}/v1/x509`);
    const headers: Record<string, string> = {
      date: new Date().toUTCString(),
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(body)),
      "x-content-sha256": createHash("sha256").update(body).digest("base64"),
      host: url.host,
    };
    const names = ["date", "(request-target)", ...(signHost ? ["host"] : [])];
    names.push("content-length", "content-type", "x-content-sha256");
    const text = names
      .map((h) => (h === "(request-target)" ? `${h}: post /v1/x509` : `${h}: ${headers[h]}`))
      .join("\n");
    const signature = createSign("sha256").update(text).sign(keyPem, "base64");
    const fingerprint = createHash(keyIdKind).update(der(certPem)).digest("hex").match(/../g)!;
    const keyId = `${emu.scenario.tenancy.id}/fed-x509${keyIdKind === "sha256" ? "-sha256" : ""}/${fingerprint.join(":")}`;
    headers.authorization = `Signature version="1",headers="${names.join(" ")}",keyId="${keyId}",algorithm="rsa-sha256",signature="${signature}"`;
    return fetch(url, { method: "POST", headers, body });
  }

  it.each([
    ["sha1", false],
    ["sha256", false],
    ["sha256", true],
  ] as const)("accepts a %s key id, host signed: %s", async (kind, host) => {
    const res = await federate(kind, host);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { token: string }).token.split(".")).toHaveLength(3);
  });
});
