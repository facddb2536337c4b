import { readFile } from "node:fs/promises";
import { defaultScenario } from "@ocfkit/oci-emulator";
import { SimpleAuthenticationDetailsProvider } from "oci-common";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOciVnic } from "../src/index.js";
import { type Harness, startHarness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  // Short-lived tokens, to see sessions expire and renew within a test.
  h = await startHarness({ scenario: { ...defaultScenario(), sessionTokenTtlSeconds: 3 } });
});
afterAll(async () => h?.stop());

describe("auth kinds", () => {
  it("renews an instance-principal session before it expires (no 401 needed)", async () => {
    const client = h.client("node1");
    await client.getAssignment("192.0.2.100");
    expect(client.requestCounts().Federation).toBe(1);
    await new Promise((r) => setTimeout(r, 2900)); // past 90 % of the 3 s life
    h.emu.clearRequestLog();
    await client.getAssignment("192.0.2.100");
    expect(client.requestCounts().Federation).toBe(2);
    expect(h.emu.requestLog().map((e) => `${e.operation}:${e.status}`)).toEqual([
      "Imds:200",
      "Imds:200",
      "Imds:200",
      "Federation:200",
      "ListPrivateIps:200",
    ]);
  });

  it("accepts any SDK authentication provider", async () => {
    const auth = await h.configAuth();
    const text = await readFile((auth as { path: string }).path, "utf8");
    const get = (key: string) => new RegExp(`^${key}=(.*)$`, "m").exec(text)?.[1]?.trim() ?? "";
    const provider = new SimpleAuthenticationDetailsProvider(
      get("tenancy"),
      get("user"),
      get("fingerprint"),
      await readFile(get("key_file"), "utf8"),
      null,
    );
    h.emu.clearRequestLog();
    const client = h.client("node1", { auth: { kind: "provider", provider } });
    const vnic = await client.selectVnic({ ip: "192.0.2.100" });
    expect(await client.getAssignment("192.0.2.100", { vnic })).toBeUndefined();
    const api = h.emu.requestLog().filter((e) => e.operation !== "Imds");
    expect(api.map((e) => `${e.operation}:${e.signature}:${e.principal}`)).toEqual([
      "GetVnic:ok:user:admin",
      "ListPrivateIps:ok:user:admin",
    ]);
  });

  it("explains missing resource-principal credentials without any request", async () => {
    const client = createOciVnic({
      auth: { kind: "resource-principal" },
      region: "us-ashburn-1",
      endpoints: { metadata: "http://127.0.0.1:9/opc/v2/", api: "http://127.0.0.1:9" },
    });
    await expect(
      client.getAssignment("192.0.2.100", { subnetId: "ocid1.subnet.oc1..x" }),
    ).rejects.toMatchObject({
      code: "NOT_AUTHENTICATED",
    });
    expect(client.requestCounts()).toEqual({});
  });

  it("refuses a config-file profile that would use the real metadata service", async () => {
    const auth = (await h.configAuth()) as { path: string; profile: string };
    const { appendFile } = await import("node:fs/promises");
    await appendFile(auth.path, "authentication_type=instance_principal\n");
    const client = h.client("node1", {
      auth: { kind: "config-file", path: auth.path, profile: auth.profile },
    });
    await expect(client.getAssignment("192.0.2.100")).rejects.toThrow(/sets authentication_type/);
  });
});

describe("endpoints", () => {
  it("defaults to the real OCI endpoints of the region, resolved without any request", async () => {
    const client = createOciVnic({ region: "us-ashburn-1" });
    expect(client.endpoints).toEqual({
      metadata: "http://169.254.169.254/opc/v2/",
      federation: undefined,
      api: undefined,
    });
    expect(await client.resolveEndpoints()).toEqual({
      metadata: "http://169.254.169.254/opc/v2/",
      federation: "https://auth.us-ashburn-1.oraclecloud.com",
      api: "https://iaas.us-ashburn-1.oraclecloud.com",
      region: "us-ashburn-1",
    });
    expect(client.requestCounts()).toEqual({});
  });

  it("takes the region from the metadata service when not given", async () => {
    const client = createOciVnic({ endpoints: { metadata: h.emu.urls.imds.node1 } });
    const resolved = await client.resolveEndpoints();
    expect(resolved.region).toBe(h.emu.region);
    expect(resolved.api).toBe(`https://iaas.${h.emu.region}.oraclecloud.com`);
    expect(client.requestCounts()).toEqual({ Imds: 2 });
  });
});
