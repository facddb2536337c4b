import { type ChildProcess, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { createConnection, createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestNetns } from "./netns.js";

// Inside the namespace: listen on its own loopback at PORT and pipe every connection to a unix
// socket (a filesystem path, visible across network namespaces).
const FORWARDER = `
const net = require("node:net");
const [port, socketPath] = process.argv.slice(1);
net.createServer((c) => {
  const up = net.connect(socketPath);
  c.pipe(up).pipe(c);
  c.on("error", () => up.destroy());
  up.on("error", () => c.destroy());
}).listen(Number(port), "127.0.0.1", () => process.stdout.write("ready\\n"));
`;

/** A TCP path from `127.0.0.1:port` inside a test namespace to `127.0.0.1:port` on the host. */
export interface NetnsBridge {
  close(): Promise<void>;
}

/**
 * Lets an agent running inside `ns` reach the emulator the test process runs on the host's loopback,
 * at the same URL (same port): the namespace keeps no route anywhere else, and the test keeps the
 * emulator's library API (faults, request log, state). Host header and signatures pass unchanged.
 */
export async function bridgeIntoNetns(ns: TestNetns, port: number): Promise<NetnsBridge> {
  const socketPath = join(tmpdir(), `ocfk-bridge-${ns.name}-${port}.sock`);
  rmSync(socketPath, { force: true });
  const server: Server = createServer((inbound) => {
    const outbound = createConnection(port, "127.0.0.1");
    inbound.pipe(outbound).pipe(inbound);
    inbound.on("error", () => outbound.destroy());
    outbound.on("error", () => inbound.destroy());
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  const child: ChildProcess = spawn(
    "ip",
    ["netns", "exec", ns.name, process.execPath, "-e", FORWARDER, String(port), socketPath],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  await new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`netns forwarder exited with ${code}`)));
    child.stdout!.once("data", () => resolve());
  });
  return {
    close: async () => {
      child.removeAllListeners("exit");
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(socketPath, { force: true });
    },
  };
}
