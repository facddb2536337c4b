import { describe, expect, it } from "vitest";
import { assignIp, releaseIp } from "./assignment.js";
import { createDeadline } from "./deadline.js";
import { OciVnicError } from "./errors.js";
import { parseIp } from "./ip.js";
import type { IpOps, IpRecord } from "./ip-ops.js";

// An in-memory VirtualNetwork (passed in, as every I/O is) to drive races the emulator cannot
// stage on demand; the same functions run against the emulator in test/.
const ours = "ocid1.vnic.oc1..ours";
const theirs = "ocid1.vnic.oc1..theirs";
const subnet = "ocid1.subnet.oc1..s";
const ip = parseIp("192.0.2.100");

function fakeNetwork(initial: IpRecord | undefined) {
  let record = initial;
  const calls: string[] = [];
  const hooks: Partial<Record<"create" | "move" | "remove" | "find", (() => void) | undefined>> =
    {};
  const ops: IpOps = {
    async find() {
      calls.push("find");
      hooks.find?.();
      return record && { ...record };
    },
    async get() {
      calls.push("get");
      return { record: { ...record! }, etag: "e1" };
    },
    async create(_d, _ip, vnicId) {
      calls.push("create");
      hooks.create?.();
      record = { id: "p1", ipAddress: ip.address, vnicId, subnetId: subnet, isPrimary: false };
      return record;
    },
    async move(_d, _id, vnicId) {
      calls.push("move");
      hooks.move?.();
      record = { ...record!, vnicId };
      return record;
    },
    async remove() {
      calls.push("remove");
      hooks.remove?.();
      record = undefined;
    },
  };
  return {
    ops,
    calls,
    hooks,
    set: (r: IpRecord | undefined) => {
      record = r;
    },
  };
}

const held = (vnicId: string, isPrimary = false): IpRecord => ({
  id: "p1",
  ipAddress: ip.address,
  vnicId,
  subnetId: subnet,
  isPrimary,
});
const deadline = () => createDeadline(undefined, 10_000);
const unavailable = () => new OciVnicError("SERVICE_UNAVAILABLE", "HTTP 500");

describe("assign", () => {
  it("creates when free and moves when held elsewhere", async () => {
    const free = fakeNetwork(undefined);
    expect(await assignIp(free.ops, deadline(), ip, ours, subnet)).toMatchObject({
      action: "created",
    });
    expect(free.calls).toEqual(["find", "create", "find"]);
    const taken = fakeNetwork(held(theirs));
    expect(await assignIp(taken.ops, deadline(), ip, ours, subnet)).toMatchObject({
      action: "moved",
      previousVnicId: theirs,
    });
  });

  it("a create that lost a race (409) re-reads and moves the winner's IP to us", async () => {
    const net = fakeNetwork(undefined);
    net.hooks.create = () => {
      net.set(held(theirs));
      net.hooks.create = undefined;
      throw new OciVnicError("CONFLICT", "in use");
    };
    expect(await assignIp(net.ops, deadline(), ip, ours, subnet)).toMatchObject({
      action: "moved",
    });
    expect(net.calls).toEqual(["find", "create", "find", "move", "find"]);
  });

  it("a move that failed with an unknown outcome but happened is reported as a move", async () => {
    const net = fakeNetwork(held(theirs));
    net.hooks.move = () => {
      net.set(held(ours));
      throw unavailable();
    };
    expect(await assignIp(net.ops, deadline(), ip, ours, subnet)).toMatchObject({
      action: "moved",
      previousVnicId: theirs,
    });
    expect(net.calls).toEqual(["find", "move", "find"]);
  });

  it("does not re-read after a definite refusal", async () => {
    const net = fakeNetwork(undefined);
    net.hooks.create = () => {
      throw new OciVnicError("NOT_AUTHORIZED_OR_NOT_FOUND", "no policy");
    };
    await expect(assignIp(net.ops, deadline(), ip, ours, subnet)).rejects.toMatchObject({
      code: "NOT_AUTHORIZED_OR_NOT_FOUND",
    });
    expect(net.calls).toEqual(["find", "create"]);
  });

  it("gives up at the deadline when another writer keeps taking it back", async () => {
    const net = fakeNetwork(held(theirs));
    // The competitor moves it back before each of our reads can see it.
    const find = net.ops.find;
    net.ops.find = async (d, i, sn) => {
      const seen = await find(d, i, sn);
      if (seen?.vnicId === ours) {
        net.set(held(theirs));
        return held(theirs);
      }
      return seen;
    };
    const started = Date.now();
    await expect(
      assignIp(net.ops, createDeadline({ timeoutMs: 1500 }, 10_000), ip, ours, subnet),
    ).rejects.toMatchObject({ code: "TIMEOUT" });
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it("refuses a primary IP without writing", async () => {
    const net = fakeNetwork(held(theirs, true));
    await expect(assignIp(net.ops, deadline(), ip, ours, subnet)).rejects.toThrow(/primary IP/);
    expect(net.calls).toEqual(["find"]);
  });

  it("refuses our own VNIC's primary IP too, instead of answering 'already ours'", async () => {
    const net = fakeNetwork(held(ours, true));
    await expect(assignIp(net.ops, deadline(), ip, ours, subnet)).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/primary IP of VNIC .*refusing to use as a floating IP/),
    });
    expect(net.calls).toEqual(["find"]);
  });
});

describe("release", () => {
  it("deletes only while ours, conditionally on the etag", async () => {
    const net = fakeNetwork(held(ours));
    expect(await releaseIp(net.ops, deadline(), ip, ours, subnet)).toEqual({
      action: "deleted",
      heldBy: undefined,
    });
    expect(net.calls).toEqual(["find", "get", "remove", "find"]);
  });

  it("leaves it alone when it moved between the list and the delete", async () => {
    const net = fakeNetwork(held(ours));
    const get = net.ops.get;
    net.ops.get = async (d, id) => {
      net.set(held(theirs));
      return get(d, id);
    };
    expect(await releaseIp(net.ops, deadline(), ip, ours, subnet)).toEqual({
      action: "not-ours",
      heldBy: theirs,
    });
    expect(net.calls).not.toContain("remove");
  });
});
