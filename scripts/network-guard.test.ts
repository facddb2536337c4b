import { once } from "node:events";
import { get } from "node:http";
import { connect, createServer, Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { describe, expect, it } from "vitest";
// Only the side-effect-free module: the guard under test must come from vitest's setupFiles.
import { connectTarget, guardInstalled, refusedConnection, takeRefusals } from "./network-rule.js";

describe("network rule: which hosts a test worker may dial", () => {
  it.each([
    "127.0.0.1",
    "127.9.8.7",
    "::1",
    "[::1]",
    "localhost",
    "emu.localhost",
    "192.0.2.100",
    "198.51.100.7",
    "203.0.113.1",
    "2001:db8::10",
    "::ffff:127.0.0.1",
    "0.0.0.0",
  ])("%s is allowed", (host) => {
    expect(refusedConnection(host)).toBeUndefined();
  });

  it.each([
    ["169.254.169.254", /neither loopback nor a TEST-NET/],
    ["::ffff:169.254.169.254", /neither loopback/],
    ["fd00:c1::a9fe:a9fe", /neither loopback/],
    ["10.0.0.5", /neither loopback/],
    ["8.8.8.8", /neither loopback/],
    ["iaas.us-ashburn-1.oraclecloud.com", /is a host name/],
    ["auth.eu-frankfurt-1.oraclecloud.com", /is a host name/],
  ])("%s is refused", (host, why) => {
    expect(refusedConnection(host)).toMatch(why);
  });

  it("reads the host from every form of connect()", () => {
    expect(connectTarget([{ host: "169.254.169.254", port: 80 }])).toEqual({
      host: "169.254.169.254",
    });
    expect(connectTarget([80, "169.254.169.254"])).toEqual({ host: "169.254.169.254" });
    expect(connectTarget([80])).toEqual({ host: undefined });
    expect(connectTarget(["/run/x.sock"])).toEqual({ path: "/run/x.sock" });
    expect(connectTarget([{ path: "/run/x.sock" }])).toEqual({ path: "/run/x.sock" });
    expect(connectTarget([[{ host: "8.8.8.8", port: 1 }, () => {}]])).toEqual({ host: "8.8.8.8" });
  });
});

describe("network rule: installed in this worker by vitest's setupFiles", () => {
  it("is on before any test file runs", () => {
    expect(guardInstalled()).toBe(true);
  });

  it("throws before dialling the metadata service, through net, http and tls", () => {
    // Without the guard the calls below would really dial out: stop here first.
    if (!guardInstalled()) throw new Error("the network guard is not installed: not dialling");
    expect(() => connect(80, "169.254.169.254")).toThrow(/network rule: .*169\.254\.169\.254/);
    expect(() => new Socket().connect({ host: "169.254.169.254", port: 80 })).toThrow(
      /network rule/,
    );
    expect(() => get("http://169.254.169.254/opc/v2/instance/")).toThrow(/network rule/);
    expect(() => tlsConnect({ host: "iaas.us-ashburn-1.oraclecloud.com", port: 443 })).toThrow(
      /network rule: .*host name/,
    );
    // Each refusal is recorded (the setup file fails a test file that leaves any); clear ours.
    expect(takeRefusals()).toEqual([
      expect.stringContaining("169.254.169.254"),
      expect.stringContaining("169.254.169.254"),
      expect.stringContaining("169.254.169.254"),
      expect.stringContaining("iaas.us-ashburn-1.oraclecloud.com"),
    ]);
  });

  it("still lets a test talk to its own loopback server", async () => {
    const server = createServer((s) => s.end("ok"));
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as { port: number };
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.on("data", (c: Buffer) => chunks.push(c));
    await once(socket, "end");
    server.close();
    expect(Buffer.concat(chunks).toString()).toBe("ok");
  });
});
