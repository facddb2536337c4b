import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createCacheStore } from "./cache-store.js";
import { decodeTokenTimes, toSession } from "./instance-principal.js";

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe("cache store", () => {
  it("writes atomically with mode 0600 and reads back; tolerates garbage", async () => {
    const dir = await mkdtemp(join(tmpdir(), "oci-vnic-cache-"));
    dirs.push(dir);
    const store = createCacheStore(join(dir, "sub"));
    await store.write("a.json", { x: 1 });
    expect(await store.read("a.json")).toEqual({ x: 1 });
    expect((await stat(join(dir, "sub", "a.json"))).mode & 0o777).toBe(0o600);
    expect(await readdir(join(dir, "sub"))).toEqual(["a.json"]);
    await writeFile(join(dir, "sub", "b.json"), "{not json");
    expect(await store.read("b.json")).toBeUndefined();
    expect(await store.read("missing.json")).toBeUndefined();
    await store.remove("a.json");
    expect(await store.read("a.json")).toBeUndefined();
  });

  it("reads the boot id once, with a fallback when unreadable", async () => {
    const dir = await mkdtemp(join(tmpdir(), "oci-vnic-boot-"));
    dirs.push(dir);
    await writeFile(join(dir, "boot_id"), "abc-123\n");
    expect(await createCacheStore(dir, join(dir, "boot_id")).bootId()).toBe("abc-123");
    expect(await createCacheStore(dir, join(dir, "nope")).bootId()).toBe("unknown-boot");
    expect((await createCacheStore(undefined).bootId()).length).toBeGreaterThan(8);
  });

  it("keeps values in memory when no directory is given", async () => {
    const store = createCacheStore(undefined);
    await store.write("k", [1, 2]);
    expect(await store.read("k")).toEqual([1, 2]);
  });
});

describe("session tokens", () => {
  const jwt = (claims: object) =>
    `h.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.s`;

  it("refreshes at 90 % of the life, at most 60 s before expiry", () => {
    const now = 1_000_000_000;
    const short = toSession(jwt({ iat: now / 1000, exp: now / 1000 + 100 }), "k", now);
    expect(short.refreshAt).toBe(now + 90_000);
    const long = toSession(jwt({ iat: now / 1000, exp: now / 1000 + 3600 }), "k", now);
    expect(long.refreshAt).toBe(long.expiresAt - 60_000);
  });

  it("refuses tokens without exp", () => {
    expect(() => decodeTokenTimes(jwt({ iat: 1 }))).toThrow(/no exp/);
    expect(() => decodeTokenTimes("nodots")).toThrow(/not a JWT/);
  });
});
