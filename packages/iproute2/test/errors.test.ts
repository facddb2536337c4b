import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIproute2, IprouteError } from "../src/index.js";
import { createLab, inNetns, ip, type Lab } from "./netns.js";

let lab: Lab;
let dir: string;
let slowIp: string;
let unprivilegedIp: string;

async function script(name: string, body: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
  return path;
}

beforeAll(async () => {
  lab = await createLab();
  await ip("-n", lab.node, "addr", "add", "192.0.2.11/24", "dev", lab.nodeDev);
  dir = await mkdtemp(join(tmpdir(), "ocfk-ipr-"));
  slowIp = await script("slow-ip", "exec sleep 30");
  // Enters the test namespace as root, then runs `ip` as nobody without capabilities.
  unprivilegedIp = await script(
    "unprivileged-ip",
    `exec ip netns exec ${lab.node} setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all ip "$@"`,
  );
}, 60_000);

afterAll(async () => {
  await lab?.destroy();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function errorOf(promise: Promise<unknown>): Promise<IprouteError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IprouteError);
  return error as IprouteError;
}

describe("command errors", () => {
  it("IP_NOT_INSTALLED when the ip binary is missing", async () => {
    const ipr = createIproute2({ ipPath: "/nonexistent/ip", netns: lab.node });
    const error = await errorOf(ipr.listAddresses());
    expect(error.code).toBe("IP_NOT_INSTALLED");
    expect(error.message).toContain("/nonexistent/ip");
  });

  it("TIMEOUT kills a command that runs too long", async () => {
    const ipr = createIproute2({ ipPath: slowIp, timeoutMs: 200 });
    const started = Date.now();
    const error = await errorOf(ipr.listAddresses());
    expect(error.code).toBe("TIMEOUT");
    expect(error.message).toContain("200 ms");
    expect(error.command?.[0]).toBe(slowIp);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("a per-call timeout overrides the instance's", async () => {
    const ipr = createIproute2({ ipPath: slowIp, timeoutMs: 60_000 });
    const error = await errorOf(ipr.listInterfaces({ timeoutMs: 100 }));
    expect(error.code).toBe("TIMEOUT");
  });

  it("ABORTED when the caller's signal fires, before or during the command", async () => {
    const ipr = createIproute2({ ipPath: slowIp });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("operator cancelled")), 50);
    const during = await errorOf(ipr.listAddresses({ signal: controller.signal }));
    expect(during.code).toBe("ABORTED");
    const before = await errorOf(ipr.listAddresses({ signal: AbortSignal.abort() }));
    expect(before.code).toBe("ABORTED");
  });

  it("PERMISSION_DENIED without CAP_NET_ADMIN", async () => {
    const ipr = createIproute2({ ipPath: unprivilegedIp });
    // Reading works without privileges; changing does not.
    expect((await ipr.listAddresses({ dev: lab.nodeDev })).map((a) => a.address)).toContain(
      "192.0.2.11",
    );
    const error = await errorOf(
      ipr.addAddress({ dev: lab.nodeDev, address: "192.0.2.50", prefixLength: 24 }),
    );
    expect(error.code).toBe("PERMISSION_DENIED");
    expect(error.stderr).toContain("Operation not permitted");
    const inNs = createIproute2({ ipPath: unprivilegedIp, netns: lab.node });
    expect((await errorOf(inNs.listAddresses())).code).toBe("PERMISSION_DENIED");
  });

  it("COMMAND_FAILED carries the command line, exit status and stderr", async () => {
    await inNetns(lab.node, "sysctl", "-qw", `net.ipv6.conf.${lab.nodeDev}.disable_ipv6=1`);
    try {
      const ipr = createIproute2({ netns: lab.node });
      const error = await errorOf(
        ipr.addAddress({ dev: lab.nodeDev, address: "2001:db8::5", prefixLength: 64 }),
      );
      expect(error.code).toBe("COMMAND_FAILED");
      // Through `ip -batch`, a failed line makes ip exit 1 (2 when run alone).
      expect(error.exitCode).toBe(1);
      expect(error.stderr).toContain("IPv6 is disabled");
      // The command reported is the single `ip` command the batch line stands for.
      expect(error.command?.slice(1)).toEqual([
        "-n",
        lab.node,
        "-json",
        "-6",
        "addr",
        "add",
        "2001:db8::5/64",
        "dev",
        lab.nodeDev,
      ]);
      expect(error.stderr).not.toContain("Command failed");
      expect(error.message).toContain("2001:db8::5/64");
    } finally {
      await inNetns(lab.node, "sysctl", "-qw", `net.ipv6.conf.${lab.nodeDev}.disable_ipv6=0`);
    }
  });

  it("refuses bad factory options before running anything", () => {
    expect(() => createIproute2({ netns: "../etc" })).toThrowError(IprouteError);
    expect(() => createIproute2({ timeoutMs: 0 })).toThrowError(/timeoutMs/);
    expect(() => createIproute2({ ipPath: "" })).toThrowError(/ipPath/);
  });
});
