import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIproute2, type Iproute2, IprouteError } from "../src/index.js";
import { createLab, ip, type Lab } from "./netns.js";

let lab: Lab;
let ipr: Iproute2;
// A MAC the peer believes the floating address has: the previous owner, before a failover.
const oldOwnerMac = "02:00:17:00:00:77";

beforeAll(async () => {
  lab = await createLab();
  ipr = createIproute2({ netns: lab.node });
  await ip("-n", lab.node, "addr", "add", "192.0.2.11/24", "dev", lab.nodeDev);
  await ip("-n", lab.node, "-6", "addr", "add", "2001:db8:0:1::11/64", "dev", lab.nodeDev, "nodad");
  await ip("-n", lab.peer, "addr", "add", "192.0.2.12/24", "dev", lab.peerDev);
  await ip("-n", lab.peer, "-6", "addr", "add", "2001:db8:0:1::12/64", "dev", lab.peerDev, "nodad");
}, 60_000);

afterAll(async () => {
  await lab?.destroy();
});

async function errorOf(promise: Promise<unknown>): Promise<IprouteError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IprouteError);
  return error as IprouteError;
}

/** What the peer's neighbour table says the address's MAC is. */
async function peerNeighbour(address: string): Promise<string | undefined> {
  const out = await ip("-n", lab.peer, "-json", "neigh", "show", "to", address, "dev", lab.peerDev);
  const entries = JSON.parse(out || "[]") as Array<{ lladdr?: string }>;
  return entries[0]?.lladdr;
}

/** Plants a stale neighbour entry on the peer pointing at the old owner, as after a failover. */
async function seedStaleNeighbour(address: string): Promise<void> {
  await ip(
    "-n",
    lab.peer,
    "neigh",
    "replace",
    address,
    "lladdr",
    oldOwnerMac,
    "dev",
    lab.peerDev,
    "nud",
    "stale",
  );
  expect(await peerNeighbour(address)).toBe(oldOwnerMac);
}

describe("waitForDad", () => {
  it("waits while an IPv6 address is tentative, then returns it", async () => {
    await ipr.addAddress({ dev: lab.nodeDev, address: "2001:db8:0:1::40", prefixLength: 64 });
    const before = (await ipr.listAddresses({ dev: lab.nodeDev, family: "inet6" })).find(
      (a) => a.address === "2001:db8:0:1::40",
    );
    expect(before?.flags).toContain("tentative");
    const done = await ipr.waitForDad({ dev: lab.nodeDev, address: "2001:db8:0:1::40" });
    expect(done.flags).not.toContain("tentative");
    expect(done.flags).not.toContain("dadfailed");
  });

  it("fails with DAD_FAILED when a neighbour already has the address", async () => {
    await ip(
      "-n",
      lab.peer,
      "-6",
      "addr",
      "add",
      "2001:db8:0:1::50/64",
      "dev",
      lab.peerDev,
      "nodad",
    );
    await ipr.addAddress({ dev: lab.nodeDev, address: "2001:db8:0:1::50", prefixLength: 64 });
    const error = await errorOf(ipr.waitForDad({ dev: lab.nodeDev, address: "2001:db8:0:1::50" }));
    expect(error.code).toBe("DAD_FAILED");
    expect(error.message).toContain("2001:db8:0:1::50");
    expect(await ipr.deleteAddress({ dev: lab.nodeDev, address: "2001:db8:0:1::50" })).toEqual({
      changed: true,
    });
  });

  it("times out on a still-tentative address and reports a missing one", async () => {
    await ipr.addAddress({ dev: lab.nodeDev, address: "2001:db8:0:1::41", prefixLength: 64 });
    const late = await errorOf(
      ipr.waitForDad({ dev: lab.nodeDev, address: "2001:db8:0:1::41", timeoutMs: 30 }),
    );
    expect(late.code).toBe("TIMEOUT");
    const missing = await errorOf(
      ipr.waitForDad({ dev: lab.nodeDev, address: "2001:db8:0:1::42" }),
    );
    expect(missing.code).toBe("ADDRESS_NOT_FOUND");
  });

  it("returns an IPv4 address at once (no DAD for IPv4)", async () => {
    const found = await ipr.waitForDad({ dev: lab.nodeDev, address: "192.0.2.11" });
    expect(found).toMatchObject({ family: "inet", prefixLength: 24 });
  });

  it("stops when aborted", async () => {
    await ipr.addAddress({ dev: lab.nodeDev, address: "2001:db8:0:1::43", prefixLength: 64 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const error = await errorOf(
      ipr.waitForDad({ dev: lab.nodeDev, address: "2001:db8:0:1::43", signal: controller.signal }),
    );
    expect(error.code).toBe("ABORTED");
  });
});

describe("announce", () => {
  it("IPv4 with send_arp: the peer's stale entry moves to our MAC", async () => {
    await ipr.addAddress({ dev: lab.nodeDev, address: "192.0.2.100", prefixLength: 24 });
    await seedStaleNeighbour("192.0.2.100");
    const result = await ipr.announce({
      dev: lab.nodeDev,
      address: "192.0.2.100",
      count: 2,
      intervalMs: 50,
    });
    expect(result).toEqual({ tool: "send_arp", count: 2, intervalMs: 50 });
    expect(await peerNeighbour("192.0.2.100")).toBe(lab.nodeMac);
  });

  it("IPv4 with iputils arping (interval rounded up to whole seconds)", async () => {
    await ipr.addAddress({ dev: lab.nodeDev, address: "192.0.2.101", prefixLength: 24 });
    await seedStaleNeighbour("192.0.2.101");
    const result = await ipr.announce({
      dev: lab.nodeDev,
      address: "192.0.2.101",
      count: 1,
      intervalMs: 10,
      sender: "arping",
    });
    expect(result).toEqual({ tool: "arping", count: 1, intervalMs: 1000 });
    expect(await peerNeighbour("192.0.2.101")).toBe(lab.nodeMac);
  });

  it("IPv6 with send_ua: unsolicited neighbour advertisement", async () => {
    await ipr.addAddress({
      dev: lab.nodeDev,
      address: "2001:db8:0:1::100",
      prefixLength: 64,
      noDad: true,
    });
    await seedStaleNeighbour("2001:db8:0:1::100");
    const result = await ipr.announce({
      dev: lab.nodeDev,
      address: "2001:db8:0:1::100",
      count: 2,
      intervalMs: 50,
    });
    expect(result).toEqual({ tool: "send_ua", count: 2, intervalMs: 50 });
    expect(await peerNeighbour("2001:db8:0:1::100")).toBe(lab.nodeMac);
  });

  it("refuses an address that is not on the device, and bad counts", async () => {
    const missing = await errorOf(ipr.announce({ dev: lab.nodeDev, address: "192.0.2.199" }));
    expect(missing.code).toBe("ADDRESS_NOT_FOUND");
    const badCount = await errorOf(
      ipr.announce({ dev: lab.nodeDev, address: "192.0.2.100", count: 0 }),
    );
    expect(badCount.code).toBe("INVALID_ARGUMENT");
    expect(badCount.message).toContain("count");
    const arpOnV6 = await errorOf(
      ipr.announce({ dev: lab.nodeDev, address: "2001:db8:0:1::11", sender: "arping" }),
    );
    expect(arpOnV6.code).toBe("INVALID_ARGUMENT");
    expect(arpOnV6.message).toContain("IPv4 only");
  });

  it("reports a missing helper as TOOL_NOT_INSTALLED", async () => {
    const noTools = createIproute2({
      netns: lab.node,
      tools: {
        sendUa: "/nonexistent/send_ua",
        sendArp: "/nonexistent/send_arp",
        arping: "/nonexistent/arping",
      },
    });
    const v6 = await errorOf(noTools.announce({ dev: lab.nodeDev, address: "2001:db8:0:1::100" }));
    expect(v6.code).toBe("TOOL_NOT_INSTALLED");
    // auto falls back from the missing send_arp to arping, which is missing too.
    const v4 = await errorOf(noTools.announce({ dev: lab.nodeDev, address: "192.0.2.100" }));
    expect(v4.code).toBe("TOOL_NOT_INSTALLED");
    expect(v4.message).toContain("/nonexistent/arping");
    // In the background too: checked before anything starts.
    const bg = await errorOf(
      noTools.announce({ dev: lab.nodeDev, address: "192.0.2.100", background: true }),
    );
    expect(bg.code).toBe("TOOL_NOT_INSTALLED");
    const badFlag = await errorOf(
      ipr.announce({
        dev: lab.nodeDev,
        address: "192.0.2.100",
        background: "yes" as unknown as boolean,
      }),
    );
    expect(badFlag.code).toBe("INVALID_ARGUMENT");
    expect(badFlag.message).toContain("background");
  });
});
