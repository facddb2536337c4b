import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as common from "oci-common";
import * as core from "oci-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { defaultScenario, type Emulator, startEmulator } from "../src/index.js";
import { instancePrincipal, networkClient, quietSdk, sdkError } from "./helpers.js";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ scenario: { ...defaultScenario(), sessionTokenTtlSeconds: 2 } });
});
afterAll(async () => {
  await emu?.stop();
});

const vnic1 = (): string => emu.scenario.instances[0]!.vnics[0]!.id;

/** An SDK client whose signer output is altered after signing (a man in the middle). */
function tamperedClient(
  provider: common.AuthenticationDetailsProvider,
  alter: (headers: Headers) => void,
) {
  const real = new common.DefaultRequestSigner(provider);
  const signer: common.RequestSigner = {
    async signHttpRequest(request, forceExcludeBody) {
      await real.signHttpRequest(request, forceExcludeBody);
      alter(request.headers);
    },
  };
  const client = new core.VirtualNetworkClient({
    authenticationDetailsProvider: provider,
    httpClient: new common.FetchHttpClient(signer),
  } as never); // AuthParams' types allow one of the two; the client accepts both.
  client.endpoint = emu.urls.api;
  return client;
}

function userProvider(
  fingerprint: string,
  privateKeyPem: string,
): common.SimpleAuthenticationDetailsProvider {
  const user = emu.scenario.users[0]!;
  return new common.SimpleAuthenticationDetailsProvider(
    emu.scenario.tenancy.id,
    user.id,
    fingerprint,
    privateKeyPem,
    null,
    common.Region.US_ASHBURN_1,
  );
}

async function adminCredentials(): Promise<{ fingerprint: string; key: string }> {
  const dir = await mkdtemp(join(tmpdir(), "oci-emu-auth-"));
  try {
    const files = await emu.writeOciConfig(dir);
    const text = await readFile(files.configFile, "utf8");
    return {
      fingerprint: /fingerprint=(.*)/.exec(text)![1]!,
      key: await readFile(files.keyFile, "utf8"),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("signature verification", () => {
  it("accepts the SDK's API-key signature and rejects a wrong key for the same keyId", async () => {
    quietSdk();
    const { fingerprint, key } = await adminCredentials();
    const good = networkClient(emu, userProvider(fingerprint, key));
    expect((await good.getVnic({ vnicId: vnic1() })).vnic.id).toBe(vnic1());

    const otherKey = generateKeyPairSync("rsa", { modulusLength: 2048 })
      .privateKey.export({ format: "pem", type: "pkcs8" })
      .toString();
    const bad = await sdkError(
      networkClient(emu, userProvider(fingerprint, otherKey)).getVnic({ vnicId: vnic1() }),
    );
    expect(bad).toMatchObject({ statusCode: 401, serviceCode: "NotAuthenticated" });
    expect(emu.requestLog().at(-1)).toMatchObject({
      signature: "invalid",
      status: 401,
      operation: "GetVnic",
    });
  });

  it("rejects a tampered signature, a changed signed header and a body that does not match its digest", async () => {
    quietSdk();
    const provider = await instancePrincipal(emu, "node1");
    const flipSignature = tamperedClient(provider, (h) => {
      const auth = h.get("authorization")!;
      h.set(
        "authorization",
        auth.replace(/signature="(.)/, (_m, c: string) => `signature="${c === "A" ? "B" : "A"}`),
      );
    });
    expect(await sdkError(flipSignature.getVnic({ vnicId: vnic1() }))).toMatchObject({
      statusCode: 401,
      serviceCode: "NotAuthenticated",
    });

    const otherPath = tamperedClient(provider, (h) =>
      h.set("x-date", new Date(Date.now() - 1000).toUTCString()),
    );
    expect(await sdkError(otherPath.getVnic({ vnicId: vnic1() }))).toMatchObject({
      statusCode: 401,
    });

    const digest = tamperedClient(provider, (h) =>
      h.set("x-content-sha256", "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="),
    );
    const created = await sdkError(
      digest.createPrivateIp({
        createPrivateIpDetails: { vnicId: vnic1(), ipAddress: "192.0.2.101" },
      }),
    );
    expect(created).toMatchObject({ statusCode: 401 });
    expect(emu.requestLog().at(-1)?.reason).toMatch(/x-content-sha256/);

    const unsigned = tamperedClient(provider, (h) => h.delete("authorization"));
    expect(await sdkError(unsigned.getVnic({ vnicId: vnic1() }))).toMatchObject({
      statusCode: 401,
    });
    expect(emu.requestLog().at(-1)).toMatchObject({ signature: "missing" });
    expect(emu.state().privateIps.some((p) => p.ipAddress === "192.0.2.101")).toBe(false);
  });

  it("rejects a request signed with an expired session token; the SDK's own provider re-federates", async () => {
    quietSdk();
    const provider = await instancePrincipal(emu, "node1");
    const keyId = await provider.getKeyId();
    const privateKey = provider.getPrivateKey();
    const stale: common.AuthenticationDetailsProvider = {
      getKeyId: async () => keyId,
      getPrivateKey: () => privateKey,
      getPassphrase: () => null,
    };
    expect((await networkClient(emu, stale).getVnic({ vnicId: vnic1() })).vnic.id).toBe(vnic1());
    await new Promise((r) => setTimeout(r, 2100));
    const expired = await sdkError(networkClient(emu, stale).getVnic({ vnicId: vnic1() }));
    expect(expired).toMatchObject({ statusCode: 401, serviceCode: "NotAuthenticated" });
    expect(emu.requestLog().at(-1)?.reason).toMatch(/expired/);
    const before = emu.requestLog().filter((e) => e.operation === "Federation").length;
    expect((await networkClient(emu, provider).getVnic({ vnicId: vnic1() })).vnic.id).toBe(vnic1());
    expect(emu.requestLog().filter((e) => e.operation === "Federation").length).toBe(before + 1);
  });

  it("rejects a date more than five minutes off the server clock", async () => {
    quietSdk();
    const provider = await instancePrincipal(emu, "node2");
    await provider.getKeyId();
    const client = networkClient(emu, provider);
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() - 6 * 60_000 });
    try {
      const skewed = await sdkError(client.getVnic({ vnicId: vnic1() }));
      expect(skewed).toMatchObject({ statusCode: 401, serviceCode: "NotAuthenticated" });
    } finally {
      vi.useRealTimers();
    }
    expect(emu.requestLog().at(-1)?.reason).toMatch(/server clock/);
    expect((await client.getVnic({ vnicId: vnic1() })).vnic.id).toBe(vnic1());
  });

  it("setClockOffset: the Date header shows the service clock, and signatures are checked on it", async () => {
    quietSdk();
    const provider = await instancePrincipal(emu, "node2");
    await provider.getKeyId();
    const client = networkClient(emu, provider);
    emu.setClockOffset(10 * 60_000);
    try {
      const answer = await fetch(`${emu.urls.api}/20160918/vnics/x`);
      const skew = Date.parse(answer.headers.get("date") ?? "") - Date.now();
      expect(skew).toBeGreaterThan(9 * 60_000);
      expect(skew).toBeLessThan(11 * 60_000);
      const refused = await sdkError(client.getVnic({ vnicId: vnic1() }));
      expect(refused).toMatchObject({ statusCode: 401, serviceCode: "NotAuthenticated" });
    } finally {
      emu.setClockOffset(0);
    }
    const plain = await fetch(`${emu.urls.api}/20160918/vnics/x`);
    expect(Math.abs(Date.parse(plain.headers.get("date") ?? "") - Date.now())).toBeLessThan(2000);
    expect((await client.getVnic({ vnicId: vnic1() })).vnic.id).toBe(vnic1());
  });
});
