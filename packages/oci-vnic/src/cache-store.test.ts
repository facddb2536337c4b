import { execFileSync } from "node:child_process";
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createCacheStore, type DocumentSchema } from "./cache-store.js";
import { decodeTokenTimes, toSession } from "./instance-principal.js";

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

// A stand-in for the zod schemas of cache-schema.ts: `{ x: number }` only.
const xSchema: DocumentSchema<{ x: number }> = {
  safeParse: (v) =>
    typeof (v as { x?: unknown })?.x === "number"
      ? { success: true, data: v as { x: number } }
      : { success: false },
};

const NOBODY = Number(execFileSync("id", ["-u", "nobody"], { encoding: "utf8" }).trim());
const asNobody = (script: string) =>
  execFileSync("setpriv", [
    "--reuid=nobody",
    "--regid=nogroup",
    "--clear-groups",
    "sh",
    "-c",
    script,
  ]);

describe("cache store", () => {
  it("writes atomically with mode 0600 in a 0700 directory and reads back", async () => {
    const dir = await mkdtemp(join(tmpdir(), "oci-vnic-cache-"));
    dirs.push(dir);
    const store = createCacheStore(join(dir, "a", "sub"));
    await store.write("a.json", { x: 1 });
    expect(await store.read("a.json", xSchema)).toEqual({ x: 1 });
    expect((await stat(join(dir, "a", "sub", "a.json"))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, "a"))).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, "a", "sub"))).mode & 0o777).toBe(0o700);
    expect(await readdir(join(dir, "a", "sub"))).toEqual(["a.json"]);
    expect(await store.read("missing.json", xSchema)).toBeUndefined();
    await store.remove("a.json");
    expect(await store.read("a.json", xSchema)).toBeUndefined();
  });

  it("deletes a document that is not JSON, truncated or of the wrong shape", async () => {
    const dir = await mkdtemp(join(tmpdir(), "oci-vnic-cache-"));
    dirs.push(dir);
    const store = createCacheStore(join(dir, "sub"));
    await store.write("seed.json", { x: 0 });
    for (const [name, text] of [
      ["garbage.json", "{not json"],
      ["truncated.json", '{"x": 1'],
      ["shape.json", '{"x": "1"}'],
    ] as const) {
      await writeFile(join(dir, "sub", name), text, { mode: 0o600 });
      expect(await store.read(name, xSchema)).toBeUndefined();
      await expect(stat(join(dir, "sub", name))).rejects.toThrow(/ENOENT/);
    }
  });

  it("refuses a directory another user prepared: no cache across processes, one warning", async () => {
    const dir = await mkdtemp(join(tmpdir(), "oci-vnic-cache-"));
    dirs.push(dir);
    await chmod(dir, 0o1777);
    // nobody plants the whole path, with a document naming another VNIC.
    asNobody(
      `mkdir -m 700 ${dir}/ocfkit && mkdir -m 700 ${dir}/ocfkit/vnic && echo '{"x":666}' > ${dir}/ocfkit/vnic/a.json`,
    );
    const warnings: string[] = [];
    const store = createCacheStore(join(dir, "ocfkit", "vnic"), undefined, (level, message) => {
      if (level === "warn") warnings.push(message);
    });
    expect(await store.read("a.json", xSchema)).toBeUndefined();
    await store.write("a.json", { x: 1 });
    // Kept in memory for this process only; the planted file is neither read nor replaced.
    expect(await store.read("a.json", xSchema)).toEqual({ x: 1 });
    expect(await readFile(join(dir, "ocfkit", "vnic", "a.json"), "utf8")).toBe('{"x":666}\n');
    expect(store.privateDir()).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`not caching in .*owned by uid ${NOBODY}`));
  });

  it("refuses a directory holding a file another user planted", async () => {
    const dir = await mkdtemp(join(tmpdir(), "oci-vnic-cache-"));
    dirs.push(dir);
    const store0 = createCacheStore(join(dir, "vnic"));
    await store0.write("a.json", { x: 1 });
    await chmod(dir, 0o755);
    await chmod(join(dir, "vnic"), 0o777);
    asNobody(`echo '{"x":666}' > ${dir}/vnic/b.json`);
    await chmod(join(dir, "vnic"), 0o700);
    const warnings: string[] = [];
    const store = createCacheStore(join(dir, "vnic"), undefined, (level, m) => {
      if (level === "warn") warnings.push(m);
    });
    expect(await store.read("b.json", xSchema)).toBeUndefined();
    expect(await store.read("a.json", xSchema)).toBeUndefined();
    expect(warnings.join()).toMatch(/b\.json is owned by uid/);
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
    await store.write("k", { x: 2 });
    expect(await store.read("k", xSchema)).toEqual({ x: 2 });
    expect(store.privateDir()).toBeUndefined();
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
