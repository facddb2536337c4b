import { describe, expect, it } from "vitest";
import { addAddress } from "./add.js";
import type { IpContext } from "./context.js";
import type { CommandResult } from "./exec.js";

// A scripted runner standing in for `ip`, to reach branches that need a race between processes.
function scriptedContext(results: CommandResult[]): IpContext & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    netns: "scripted",
    timeoutMs: 1000,
    tools: { arping: "arping", sendArp: "send_arp", sendUa: "send_ua" },
    async ip(args, _call, input) {
      calls.push(input === undefined ? [...args] : [...args, input]);
      const next = results.shift();
      if (!next) throw new Error(`unexpected ip call: ${args.join(" ")}`);
      return { ...next, argv: ["ip", "-n", "scripted", ...args] };
    },
    tool: () => Promise.reject(new Error("not used")),
    detach: () => Promise.reject(new Error("not used")),
  };
}

const present = JSON.stringify([
  {
    ifindex: 2,
    ifname: "eth0",
    flags: ["UP"],
    addr_info: [{ family: "inet", local: "192.0.2.100", prefixlen: 24, scope: "global" }],
  },
]);

describe("addAddress races with another process", () => {
  it("reports no change when another process added the same address between read and add", async () => {
    const ctx = scriptedContext([
      // Our batch: the read saw nothing, then the add hit the other process's address.
      {
        stdout: "[]",
        stderr: "Error: ipv4: Address already assigned.\nCommand failed -:2",
        exitCode: 1,
      },
      // The follow-up list shows it with our prefix on our device.
      { stdout: present, stderr: "", exitCode: 0 },
    ]);
    const result = await addAddress(ctx, { dev: "eth0", address: "192.0.2.100", prefixLength: 24 });
    expect(result).toEqual({ changed: false });
    expect(ctx.calls[0]).toEqual([
      "-json",
      "-4",
      "-batch",
      "-",
      "addr show to 192.0.2.100\naddr add 192.0.2.100/24 dev eth0 brd +\n",
    ]);
    expect(ctx.calls[1]).toEqual(["-json", "-4", "addr", "show"]);
  });

  it("reports a conflict when the racing process used another prefix", async () => {
    const ctx = scriptedContext([
      {
        stdout: "[]",
        stderr: "Error: ipv4: Address already assigned.\nCommand failed -:2",
        exitCode: 1,
      },
      { stdout: present, stderr: "", exitCode: 0 },
    ]);
    await expect(
      addAddress(ctx, { dev: "eth0", address: "192.0.2.100", prefixLength: 25 }),
    ).rejects.toMatchObject({
      code: "ADDRESS_CONFLICT",
    });
  });

  it("says so when undoing a conflicting add fails, and keeps the cause", async () => {
    const ctx = scriptedContext([
      { stdout: present, stderr: "", exitCode: 0 },
      { stdout: "", stderr: "RTNETLINK answers: Operation not permitted", exitCode: 2 },
    ]);
    const options = { dev: "eth0", address: "192.0.2.100", prefixLength: 25 };
    const error = (await addAddress(ctx, options).then(
      () => undefined,
      (e: unknown) => e,
    )) as Error & { code: string; cause: { code: string } };
    expect(error.code).toBe("ADDRESS_CONFLICT");
    expect(error.message).toContain("remove it by hand");
    expect(error.cause.code).toBe("PERMISSION_DENIED");
    expect(ctx.calls[1]).toEqual(["-4", "addr", "del", "192.0.2.100/25", "dev", "eth0"]);
  });
});
