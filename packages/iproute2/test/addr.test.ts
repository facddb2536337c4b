import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIproute2, type Iproute2, IprouteError } from "../src/index.js";
import { createLab, ip, type Lab } from "./netns.js";

let lab: Lab;
let ipr: Iproute2;

beforeAll(async () => {
  lab = await createLab();
  ipr = createIproute2({ netns: lab.node });
  await ip("-n", lab.node, "addr", "add", "192.0.2.11/24", "dev", lab.nodeDev);
  await ip("-n", lab.node, "-6", "addr", "add", "2001:db8:0:1::11/64", "dev", lab.nodeDev, "nodad");
});

afterAll(async () => {
  await lab?.destroy();
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IprouteError);
  return (error as IprouteError).code;
}

describe("listAddresses", () => {
  it("lists both families with device, prefix, scope and label", async () => {
    const all = await ipr.listAddresses();
    const v4 = all.find((a) => a.address === "192.0.2.11");
    expect(v4).toMatchObject({
      dev: lab.nodeDev,
      family: "inet",
      prefixLength: 24,
      scope: "global",
    });
    expect(v4?.label).toBe(lab.nodeDev);
    const v6 = all.find((a) => a.address === "2001:db8:0:1::11");
    expect(v6).toMatchObject({
      dev: lab.nodeDev,
      family: "inet6",
      prefixLength: 64,
      label: undefined,
    });
    expect(v6?.flags).toContain("nodad");
    expect(all.some((a) => a.dev === "lo" && a.address === "127.0.0.1")).toBe(true);
  });

  it("filters by device and family", async () => {
    const v6 = await ipr.listAddresses({ dev: lab.nodeDev, family: "inet6" });
    expect(v6.length).toBeGreaterThan(0);
    expect(v6.every((a) => a.family === "inet6" && a.dev === lab.nodeDev)).toBe(true);
  });

  it("filters by address, whatever its spelling", async () => {
    const found = await ipr.listAddresses({ address: "2001:DB8:0:1:0:0:0:0011" });
    expect(found.map((a) => `${a.dev} ${a.address}/${a.prefixLength}`)).toEqual([
      `${lab.nodeDev} 2001:db8:0:1::11/64`,
    ]);
    expect(await ipr.listAddresses({ address: "192.0.2.250" })).toEqual([]);
    expect(await codeOf(ipr.listAddresses({ address: "192.0.2.11", family: "inet6" }))).toBe(
      "INVALID_ARGUMENT",
    );
  });

  it("reports a missing device and a missing namespace with their codes", async () => {
    expect(await codeOf(ipr.listAddresses({ dev: "nosuch0" }))).toBe("NO_SUCH_DEVICE");
    const gone = createIproute2({ netns: "ocfk-ipr-doesnotexist" });
    expect(await codeOf(gone.listAddresses())).toBe("NETNS_MISSING");
  });
});

describe("addAddress / deleteAddress (IPv4)", () => {
  it("adds once, then reports no change, then deletes once", async () => {
    const opts = {
      dev: lab.nodeDev,
      address: "192.0.2.100",
      prefixLength: 24,
      label: `${lab.nodeDev}:vip`,
    };
    expect(await ipr.addAddress(opts)).toEqual({ changed: true });
    expect(await ipr.addAddress(opts)).toEqual({ changed: false });
    const listed = (await ipr.listAddresses({ dev: lab.nodeDev, family: "inet" })).find(
      (a) => a.address === "192.0.2.100",
    );
    expect(listed).toMatchObject({ prefixLength: 24, label: `${lab.nodeDev}:vip` });
    expect(await ipr.deleteAddress({ dev: lab.nodeDev, address: "192.0.2.100" })).toEqual({
      changed: true,
    });
    expect(await ipr.deleteAddress({ dev: lab.nodeDev, address: "192.0.2.100" })).toEqual({
      changed: false,
    });
    expect(
      await ipr.deleteAddress({ dev: lab.nodeDev, address: "192.0.2.100", prefixLength: 24 }),
    ).toEqual({
      changed: false,
    });
    const after = await ipr.listAddresses({ dev: lab.nodeDev });
    expect(after.some((a) => a.address === "192.0.2.100")).toBe(false);
  });

  it("refuses the same address with another prefix (the kernel would accept it)", async () => {
    await ipr.addAddress({ dev: lab.nodeDev, address: "192.0.2.101", prefixLength: 24 });
    expect(
      await codeOf(ipr.addAddress({ dev: lab.nodeDev, address: "192.0.2.101", prefixLength: 25 })),
    ).toBe("ADDRESS_CONFLICT");
    expect(
      await codeOf(ipr.addAddress({ dev: "lo", address: "192.0.2.101", prefixLength: 24 })),
    ).toBe("ADDRESS_CONFLICT");
    expect(
      await codeOf(
        ipr.deleteAddress({ dev: lab.nodeDev, address: "192.0.2.101", prefixLength: 25 }),
      ),
    ).toBe("ADDRESS_CONFLICT");
    const still = await ipr.listAddresses({ dev: lab.nodeDev, family: "inet" });
    expect(still.filter((a) => a.address === "192.0.2.101").map((a) => a.prefixLength)).toEqual([
      24,
    ]);
    expect(
      await ipr.deleteAddress({ dev: lab.nodeDev, address: "192.0.2.101", prefixLength: 24 }),
    ).toEqual({
      changed: true,
    });
  });

  it("two concurrent adds both succeed and exactly one reports a change", async () => {
    const opts = { dev: lab.nodeDev, address: "192.0.2.102", prefixLength: 24 };
    const results = await Promise.all([ipr.addAddress(opts), ipr.addAddress(opts)]);
    expect(results.filter((r) => r.changed)).toHaveLength(1);
    // Two separate instances share the process-wide lock too.
    const other = createIproute2({ netns: lab.node });
    const dels = await Promise.all([
      ipr.deleteAddress({ dev: lab.nodeDev, address: "192.0.2.102" }),
      other.deleteAddress({ dev: lab.nodeDev, address: "192.0.2.102" }),
    ]);
    expect(dels.filter((r) => r.changed)).toHaveLength(1);
  });

  it("rejects bad input before running anything", async () => {
    expect(
      await codeOf(ipr.addAddress({ dev: lab.nodeDev, address: "192.0.2.300", prefixLength: 24 })),
    ).toBe("INVALID_ADDRESS");
    expect(
      await codeOf(ipr.addAddress({ dev: lab.nodeDev, address: "192.0.2.5", prefixLength: 33 })),
    ).toBe("INVALID_PREFIX");
    const long = {
      dev: lab.nodeDev,
      address: "192.0.2.5",
      prefixLength: 24,
      label: `${lab.nodeDev}:waytoolong`,
    };
    expect(await codeOf(ipr.addAddress(long))).toBe("INVALID_LABEL");
    const foreign = { dev: lab.nodeDev, address: "192.0.2.5", prefixLength: 24, label: "eth0:vip" };
    expect(await codeOf(ipr.addAddress(foreign))).toBe("INVALID_LABEL");
    expect(
      await codeOf(ipr.addAddress({ dev: "a b", address: "192.0.2.5", prefixLength: 24 })),
    ).toBe("INVALID_ARGUMENT");
    const v4nodad = { dev: lab.nodeDev, address: "192.0.2.5", prefixLength: 24, noDad: true };
    expect(await codeOf(ipr.addAddress(v4nodad))).toBe("INVALID_ARGUMENT");
    const list = await ipr.listAddresses({ dev: lab.nodeDev });
    expect(list.some((a) => a.address === "192.0.2.5")).toBe(false);
  });

  it("maps a missing device to NO_SUCH_DEVICE", async () => {
    expect(
      await codeOf(ipr.addAddress({ dev: "nosuch0", address: "192.0.2.103", prefixLength: 24 })),
    ).toBe("NO_SUCH_DEVICE");
    expect(
      await codeOf(ipr.deleteAddress({ dev: "nosuch0", address: "192.0.2.103", prefixLength: 24 })),
    ).toBe("NO_SUCH_DEVICE");
    expect(await codeOf(ipr.deleteAddress({ dev: "nosuch0", address: "192.0.2.103" }))).toBe(
      "NO_SUCH_DEVICE",
    );
  });
});

describe("addAddress / deleteAddress (IPv6)", () => {
  it("adds a floating address with nodad and preferred_lft 0 so it is never a source address", async () => {
    const opts = {
      dev: lab.nodeDev,
      address: "2001:db8:0:1::100",
      prefixLength: 64,
      noDad: true,
      preferredLifetime: 0,
    };
    expect(await ipr.addAddress(opts)).toEqual({ changed: true });
    // Same address spelled differently is the same address.
    expect(await ipr.addAddress({ ...opts, address: "2001:DB8:0:1:0:0:0:100" })).toEqual({
      changed: false,
    });
    const listed = (await ipr.listAddresses({ dev: lab.nodeDev, family: "inet6" })).find(
      (a) => a.address === "2001:db8:0:1::100",
    );
    expect(listed?.flags).toEqual(expect.arrayContaining(["nodad", "deprecated"]));
    expect(listed?.preferredLifetime).toBe(0);
    const route = await ip("-n", lab.node, "-6", "route", "get", "2001:db8:0:1::99");
    expect(route).toContain("src 2001:db8:0:1::11");
    expect(await codeOf(ipr.addAddress({ ...opts, prefixLength: 80 }))).toBe("ADDRESS_CONFLICT");
    expect(
      await ipr.deleteAddress({ dev: lab.nodeDev, address: "2001:db8:0:1::100", prefixLength: 64 }),
    ).toEqual({ changed: true });
    expect(await ipr.deleteAddress({ dev: lab.nodeDev, address: "2001:db8:0:1::100" })).toEqual({
      changed: false,
    });
  });

  it("refuses labels on IPv6 and /129", async () => {
    const labelled = {
      dev: lab.nodeDev,
      address: "2001:db8::5",
      prefixLength: 64,
      label: `${lab.nodeDev}:v6`,
    };
    expect(await codeOf(ipr.addAddress(labelled))).toBe("INVALID_LABEL");
    expect(
      await codeOf(ipr.addAddress({ dev: lab.nodeDev, address: "2001:db8::5", prefixLength: 129 })),
    ).toBe("INVALID_PREFIX");
  });

  it("two concurrent adds both succeed and exactly one reports a change", async () => {
    const opts = { dev: lab.nodeDev, address: "2001:db8:0:1::102", prefixLength: 64, noDad: true };
    const other = createIproute2({ netns: lab.node });
    const results = await Promise.all([ipr.addAddress(opts), other.addAddress(opts)]);
    expect(results.filter((r) => r.changed)).toHaveLength(1);
    expect(await ipr.deleteAddress(opts)).toEqual({ changed: true });
  });
});
