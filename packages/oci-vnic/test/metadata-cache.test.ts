import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Harness, startHarness } from "./harness.js";

// The metadata snapshot is cached per boot, and read again when it no longer matches.
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.stop());

it("reuses the snapshot within a boot, reads again after a reboot", async () => {
  const cacheDir = join(h.dir, "boot");
  const bootIdPath = join(h.dir, "boot_id");
  await writeFile(bootIdPath, "boot-a\n");
  const first = h.client("node1", { cacheDir, bootIdPath });
  expect((await first.listVnics()).map((v) => v.privateIp)).toEqual(["192.0.2.11"]);
  expect(first.requestCounts()).toEqual({ Imds: 2 });
  expect((await stat(join(cacheDir, "oci-vnic-metadata.json"))).mode & 0o777).toBe(0o600);

  const sameBoot = h.client("node1", { cacheDir, bootIdPath });
  await sameBoot.selectVnic({ mac: "02:00:17:00:00:11" });
  expect((await sameBoot.instance()).displayName).toBe("node1");
  expect(sameBoot.requestCounts()).toEqual({});

  await writeFile(bootIdPath, "boot-b\n");
  const rebooted = h.client("node1", { cacheDir, bootIdPath });
  await rebooted.selectVnic({ mac: "02:00:17:00:00:11" });
  expect(rebooted.requestCounts()).toEqual({ Imds: 2 });
});

it("reads the metadata service again when the cached snapshot has no matching VNIC", async () => {
  const cacheDir = join(h.dir, "stale");
  const first = h.client("node1", { cacheDir });
  const real = await first.selectVnic({ ip: "192.0.2.100" });
  // Make the cache stale: as if the VNIC had been attached after the snapshot was taken.
  const file = join(cacheDir, "oci-vnic-metadata.json");
  const cached = JSON.parse(await readFile(file, "utf8")) as {
    snapshot: { vnics: { macAddress: string }[] };
  };
  for (const v of cached.snapshot.vnics) v.macAddress = "02:00:17:00:00:99";
  await writeFile(file, JSON.stringify(cached));

  const second = h.client("node1", { cacheDir });
  expect((await second.selectVnic({ mac: "02:00:17:00:00:11" })).vnicId).toBe(real.vnicId);
  expect(second.requestCounts()).toEqual({ Imds: 2 });
  // A VNIC that really does not exist still fails, after one fresh read, listing what there is.
  await expect(second.selectVnic({ mac: "02:00:17:00:00:77" })).rejects.toThrow(
    /no VNIC matches mac=02:00:17:00:00:77.*192\.0\.2\.11/,
  );
});

it("notices a cached VNIC the API no longer knows (replaced since): re-reads, then picks again", async () => {
  const cacheDir = join(h.dir, "replaced");
  const first = h.client("node1", { cacheDir });
  const real = await first.selectVnic({ ip: "192.0.2.100" });
  await first.getAssignment("192.0.2.100"); // warms the session cache
  const file = join(cacheDir, "oci-vnic-metadata.json");
  const cached = JSON.parse(await readFile(file, "utf8")) as {
    snapshot: { vnics: { vnicId: string }[] };
  };
  const gone = "ocid1.vnic.oc1.iad.replacedbeforethisboot";
  for (const v of cached.snapshot.vnics) v.vnicId = gone;
  await writeFile(file, JSON.stringify(cached));

  const second = h.client("node1", { cacheDir });
  const stale = await second.selectVnic({ ip: "192.0.2.100" });
  expect(stale.vnicId).toBe(gone);
  expect(await second.getAssignment("192.0.2.100")).toBeUndefined();
  // GetVnic of the stale id (404), a fresh snapshot, then the real VNIC (its subnet is cached).
  expect(second.requestCounts()).toEqual({ GetVnic: 1, Imds: 2, ListPrivateIps: 1 });
  await expect(second.assign("192.0.2.100", stale)).rejects.toThrow(
    new RegExp(`VNIC ${gone} is no longer attached.*${real.vnicId}`),
  );
  expect(h.emu.state().privateIps.some((p) => p.ipAddress === "192.0.2.100")).toBe(false);
});
