import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../src/index.js";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu?.stop();
});

const imds = (instance: string, path: string, auth = true): Promise<Response> =>
  fetch(
    `${emu.urls.imds[instance]}${path}`,
    auth ? { headers: { Authorization: "Bearer Oracle" } } : {},
  );

describe("metadata service v2", () => {
  it("requires Authorization: Bearer Oracle", async () => {
    const res = await imds("node1", "instance/");
    expect(res.status).toBe(200);
    expect((await imds("node1", "instance/", false)).status).toBe(401);
  });

  it("serves instance, region, id and vnics per instance", async () => {
    const doc = (await (await imds("node2", "instance/")).json()) as Record<string, unknown>;
    const node2 = emu.scenario.instances.find((i) => i.name === "node2")!;
    expect(doc).toMatchObject({
      id: node2.id,
      canonicalRegionName: "us-ashburn-1",
      hostname: "node2",
    });
    expect(await (await imds("node2", "instance/region")).text()).toBe("iad");
    expect(await (await imds("node2", "instance/id")).text()).toBe(node2.id);
    expect(await (await imds("node2", "instance/regionInfo/regionIdentifier")).text()).toBe(
      "us-ashburn-1",
    );
    const vnics = (await (await imds("node2", "vnics/")).json()) as Record<string, unknown>[];
    expect(vnics).toEqual([
      expect.objectContaining({
        vnicId: node2.vnics[0]!.id,
        privateIp: "192.0.2.12",
        macAddr: "02:00:17:00:00:12",
        subnetCidrBlock: "192.0.2.0/24",
        virtualRouterIp: "192.0.2.1",
        vlanTag: expect.any(Number),
        ipv6SubnetCidrBlock: "2001:db8:0:1::/64",
      }),
    ]);
    expect(vnics[0]).not.toHaveProperty("nicIndex"); // a VM: no physical NIC index
    expect((await imds("node2", "instance/nope")).status).toBe(404);
    expect((await fetch(`${emu.urls.api}/imds/node9/opc/v2/instance/`)).status).toBe(404);
  });
});

describe("identity certificates", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "oci-emu-x509-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("issues a leaf carrying the tenancy that openssl parses and verifies against the intermediate", async () => {
    const cert = await (await imds("node1", "identity/cert.pem")).text();
    const intermediate = await (await imds("node1", "identity/intermediate.pem")).text();
    const key = await (await imds("node1", "identity/key.pem")).text();
    await writeFile(join(dir, "leaf.pem"), cert);
    await writeFile(join(dir, "int.pem"), intermediate);
    const text = execFileSync(
      "openssl",
      ["x509", "-in", join(dir, "leaf.pem"), "-noout", "-text"],
      { encoding: "utf8" },
    );
    expect(text).toContain("Version: 3 (0x2)");
    expect(text).toContain("sha256WithRSAEncryption");
    expect(text).toContain(`OU = opc-tenant:${emu.scenario.tenancy.id}`);
    expect(text).toContain(`OU = opc-instance:${emu.scenario.instances[0]!.id}`);
    expect(text).toContain("OU = opc-certtype:instance");
    expect(text).toContain("CA:FALSE");
    // The intermediate is signed by a root the emulator does not serve; trust it as partial chain.
    const verified = execFileSync(
      "openssl",
      ["verify", "-partial_chain", "-CAfile", join(dir, "int.pem"), join(dir, "leaf.pem")],
      { encoding: "utf8" },
    );
    expect(verified).toContain("OK");
    const leaf = new X509Certificate(cert);
    expect(leaf.checkPrivateKey((await import("node:crypto")).createPrivateKey(key))).toBe(true);
    expect(leaf.verify(new X509Certificate(intermediate).publicKey)).toBe(true);
    expect(new X509Certificate(intermediate).ca).toBe(true);
  });
});
