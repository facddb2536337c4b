import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OciVnic } from "../src/index.js";
import { type Harness, startHarness } from "./harness.js";

// Caches a root agent must not believe: planted by another user, corrupt, truncated, of another
// shape, or holding credentials that cannot sign. Each is ignored or rebuilt once, and the answer
// is the emulator's truth. Run as root (as CI does); `nobody` plants the traps.
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.stop());

function asNobody(script: string): void {
  execFileSync("setpriv", [
    "--reuid=nobody",
    "--regid=nogroup",
    "--clear-groups",
    "sh",
    "-c",
    script,
  ]);
}

/** A warm cache directory of node1 (metadata, facts, session written by a first client). */
async function warmCache(name: string): Promise<string> {
  const cacheDir = join(h.dir, name);
  const client = h.client("node1", { cacheDir });
  await client.getAssignment("192.0.2.100");
  return cacheDir;
}

const metadataFile = (dir: string) => join(dir, "oci-vnic-metadata.json");
const sessionFile = (dir: string) => join(dir, "oci-vnic-session.json");
const factsFile = (dir: string) => join(dir, "oci-vnic-facts.json");

describe("a cache directory another user prepared", () => {
  it("is not used: the planted snapshot naming another VNIC is not believed, one warning", async () => {
    const real = await warmCache("for-plant");
    const planted = JSON.parse(await readFile(metadataFile(real), "utf8")) as {
      snapshot: { vnics: { vnicId: string; privateIp: string }[] };
    };
    for (const v of planted.snapshot.vnics) v.vnicId = "ocid1.vnic.oc1..attackerchosen";
    const base = await mkdtemp(join(tmpdir(), "oci-vnic-plant-"));
    try {
      await chmod(base, 0o1777);
      await writeFile(join(base, "planted.json"), JSON.stringify(planted));
      await chmod(join(base, "planted.json"), 0o644);
      asNobody(
        `mkdir -m 700 ${base}/ocfkit && mkdir -m 700 ${base}/ocfkit/vnic && cp ${base}/planted.json ${base}/ocfkit/vnic/oci-vnic-metadata.json && chmod 600 ${base}/ocfkit/vnic/oci-vnic-metadata.json`,
      );
      const warnings: string[] = [];
      const client = h.client("node1", {
        cacheDir: join(base, "ocfkit", "vnic"),
        log: (level, message) => {
          if (level === "warn") warnings.push(message);
        },
      });
      const vnic = await client.selectVnic({ ip: "192.0.2.100" });
      expect(vnic.vnicId).not.toBe("ocid1.vnic.oc1..attackerchosen");
      expect(vnic.vnicId).toMatch(/^ocid1\.vnic\./);
      await client.getAssignment("192.0.2.100");
      expect(client.requestCounts()).toMatchObject({ Imds: 5, Federation: 1 });
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/not caching in .*ocfkit.* is owned by uid/);
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });
});

describe("documents in our own cache directory", () => {
  const expectFresh = async (client: OciVnic, counts: Record<string, number>) => {
    expect(await client.getAssignment("192.0.2.100")).toBeUndefined();
    expect(client.requestCounts()).toMatchObject(counts);
  };

  it("a snapshot with vnics: [null] is rejected on read, deleted and fetched again", async () => {
    const dir = await warmCache("null-vnic");
    const doc = JSON.parse(await readFile(metadataFile(dir), "utf8")) as {
      snapshot: { vnics: unknown[] };
    };
    doc.snapshot.vnics = [null];
    await writeFile(metadataFile(dir), JSON.stringify(doc), { mode: 0o600 });
    const client = h.client("node1", { cacheDir: dir });
    const vnic = await client.selectVnic({ ip: "192.0.2.100" });
    expect(vnic.privateIp).toBe("192.0.2.11");
    expect(client.requestCounts()).toEqual({ Imds: 2 });
    const rewritten = JSON.parse(await readFile(metadataFile(dir), "utf8")) as {
      snapshot: { vnics: { vnicId: string }[] };
    };
    expect(rewritten.snapshot.vnics[0]?.vnicId).toBe(vnic.vnicId);
  });

  it("a snapshot whose VNIC has another MAC than the API says is read again", async () => {
    const dir = await warmCache("wrong-mac");
    const doc = JSON.parse(await readFile(metadataFile(dir), "utf8")) as {
      snapshot: { vnics: { macAddress: string }[] };
    };
    const real = doc.snapshot.vnics[0]!.macAddress;
    doc.snapshot.vnics[0]!.macAddress = "02:00:17:00:00:99";
    await writeFile(metadataFile(dir), JSON.stringify(doc), { mode: 0o600 });
    await rm(factsFile(dir));
    const client = h.client("node1", { cacheDir: dir });
    await expectFresh(client, { Imds: 2, GetVnic: 1, ListPrivateIps: 1 });
    const rewritten = JSON.parse(await readFile(metadataFile(dir), "utf8")) as typeof doc;
    expect(rewritten.snapshot.vnics[0]!.macAddress).toBe(real);
    // A caller holding the stale VnicInfo is told to select again.
    const stale = {
      ...(await client.selectVnic({ ip: "192.0.2.100" })),
      macAddress: "02:00:17:00:00:99",
    };
    await expect(client.release("192.0.2.100", stale)).rejects.toMatchObject({
      code: "VNIC_NOT_FOUND",
      message: expect.stringMatching(/has MAC .* in the API, not 02:00:17:00:00:99/),
    });
  });

  it("truncated snapshot and facts are rebuilt once", async () => {
    const dir = await warmCache("truncated");
    for (const file of [metadataFile(dir), factsFile(dir)]) {
      const text = await readFile(file, "utf8");
      await writeFile(file, text.slice(0, text.length / 2), { mode: 0o600 });
    }
    const client = h.client("node1", { cacheDir: dir });
    await expectFresh(client, { Imds: 2, GetVnic: 1, ListPrivateIps: 1 });
    expect(client.requestCounts().Federation).toBeUndefined();
    // Rebuilt: a second process makes only the one API request.
    const again = h.client("node1", { cacheDir: dir });
    await expectFresh(again, { ListPrivateIps: 1 });
    expect(Object.keys(again.requestCounts())).toEqual(["ListPrivateIps"]);
  });

  it("a session whose key is not a usable key is deleted and federated again", async () => {
    const dir = await warmCache("bad-key");
    const session = JSON.parse(await readFile(sessionFile(dir), "utf8")) as {
      privateKeyPem: string;
    };
    session.privateKeyPem = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
    await writeFile(sessionFile(dir), JSON.stringify(session), { mode: 0o600 });
    const client = h.client("node1", { cacheDir: dir });
    await expectFresh(client, { Federation: 1, ListPrivateIps: 1 });
    const renewed = JSON.parse(await readFile(sessionFile(dir), "utf8")) as {
      privateKeyPem: string;
    };
    expect(renewed.privateKeyPem).not.toBe(session.privateKeyPem);
    expect((await stat(sessionFile(dir))).mode & 0o777).toBe(0o600);
  });

  it("a session whose key signs but is not the token's (401) is discarded and rebuilt once", async () => {
    const dir = await warmCache("wrong-key");
    const session = JSON.parse(await readFile(sessionFile(dir), "utf8")) as {
      privateKeyPem: string;
    };
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    session.privateKeyPem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    await writeFile(sessionFile(dir), JSON.stringify(session), { mode: 0o600 });
    const client = h.client("node1", { cacheDir: dir });
    await expectFresh(client, { Federation: 1, ListPrivateIps: 2 });
  });

  it("credentials that cannot sign at all: NOT_AUTHENTICATED, nothing sent", async () => {
    const client = h.client("node1", {
      cacheDir: join(h.dir, "unsignable"),
      auth: {
        kind: "provider",
        provider: {
          getKeyId: async () => "ocid1.tenancy.oc1..t/ocid1.user.oc1..u/aa:bb",
          getPrivateKey: () =>
            "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n",
          getPassphrase: () => null,
        },
      },
    });
    await expect(client.getAssignment("192.0.2.100")).rejects.toMatchObject({
      code: "NOT_AUTHENTICATED",
      message: expect.stringMatching(/cannot sign GetVnic with the credentials. private key/),
    });
    expect(client.requestCounts()).toEqual({ Imds: 2 });
  });
});
