import { type ChildProcess, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { createConnection, createServer, type Server } from "node:net";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { type Emulator, startEmulator } from "@ocfkit/oci-emulator";
import { E2eError } from "./errors.js";
import { type ClusterPlan, isTestNetAddress } from "./plan.js";
import type { TimelineEvent } from "./timeline.js";

/** The OCI emulator as the nodes reach it: on the services address behind the subnet gateway. */
export interface CloudLab {
  /** The emulator itself (library API: state, faults, request log), listening on host loopback. */
  readonly emulator: Emulator;
  /** URLs as the nodes use them (`http://198.51.100.1:PORT...`). */
  readonly urls: {
    readonly api: string;
    readonly federation: string;
    readonly imds: Readonly<Record<string, string>>;
  };
  /** Instance names whose VNICs hold `ip` in the emulator's state (exactly one after a move). */
  holders(ip: string): string[];
  /**
   * From the request log, between `from` and `to`: each instance's first request (when its agent
   * first reached OCI after `from`) and every confirmed assignment of a private IP ("cloud move").
   */
  events(from: number, to: number): TimelineEvent[];
  /** PIDs of helper processes (for emergency teardown). */
  readonly pids: readonly number[];
  close(): Promise<void>;
}

// Operations that move a private IP to a VNIC (OCI: UpdatePrivateIp with vnicId, or Create).
const assignOperations = new Set(["UpdatePrivateIp", "CreatePrivateIp"]);

function rewrite(url: string, from: string, to: string): string {
  if (!url.startsWith(from)) {
    throw new E2eError(
      "UNSAFE_ENDPOINT",
      `emulator URL ${url} is not on ${from}: refusing to guess`,
    );
  }
  const rewritten = `${to}${url.slice(from.length)}`;
  const host = new URL(rewritten).hostname;
  if (!isTestNetAddress(host)) {
    throw new E2eError("UNSAFE_ENDPOINT", `endpoint ${rewritten} is not a TEST-NET address`);
  }
  return rewritten;
}

/**
 * Starts the emulator (default scenario: node1/node2 with the nodes' MACs) on host loopback and
 * makes it reachable from the nodes at `http://<servicesAddress>:<port>` through a forwarder in
 * the bridge namespace and a unix socket, keeping the library API for assertions and faults.
 * Pass an emulator already starting (`startEmulator()`) to overlap its start with the cluster's.
 */
export async function startCloud(
  plan: ClusterPlan,
  started?: Promise<Emulator>,
): Promise<CloudLab> {
  const emulator = await (started ?? startEmulator());
  const closers: (() => Promise<void> | void)[] = [() => emulator.stop()];
  const close = async () => {
    for (const closer of closers.splice(0).reverse()) await closer();
  };
  try {
    for (const node of plan.nodes) {
      const instance = emulator.scenario.instances.find((i) => i.name === node.name);
      const mac = instance?.vnics[0]?.macAddress.toLowerCase();
      if (mac !== node.mac) {
        throw new E2eError(
          "BAD_OPTION",
          `emulator instance ${node.name} has VNIC MAC ${mac}, node has ${node.mac}`,
        );
      }
    }
    const origin = new URL(emulator.urls.api).origin;
    const port = new URL(origin).port;
    const socketPath = join(plan.runDir, "emulator.sock");
    rmSync(socketPath, { force: true });
    const server: Server = createServer((inbound) => {
      const outbound = createConnection(Number(port), "127.0.0.1");
      inbound.pipe(outbound).pipe(inbound);
      inbound.on("error", () => outbound.destroy());
      outbound.on("error", () => inbound.destroy());
    });
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const script = fileURLToPath(new URL("./tcp-forward.mjs", import.meta.url));
    const forwarder: ChildProcess = spawn(
      "nsenter",
      [
        `--net=/run/netns/${plan.bridge.netns}`,
        "--",
        process.execPath,
        script,
        plan.bridge.servicesAddress,
        port,
        socketPath,
      ],
      { stdio: ["pipe", "pipe", "inherit"] },
    );
    closers.push(() => {
      forwarder.stdin?.end();
      forwarder.kill("SIGKILL");
    });
    await new Promise<void>((resolve, reject) => {
      forwarder.once("exit", (code) =>
        reject(new E2eError("COMMAND_FAILED", `emulator forwarder exited with ${code}`)),
      );
      createInterface({ input: forwarder.stdout! }).once("line", () => resolve());
    });
    forwarder.removeAllListeners("exit");
    const protocol = new URL(origin).protocol; // https: when the emulator serves TLS
    const nodeOrigin = `${protocol}//${plan.bridge.servicesAddress}:${port}`;
    const urls = {
      api: rewrite(emulator.urls.api, origin, nodeOrigin),
      federation: rewrite(emulator.urls.federation, origin, nodeOrigin),
      imds: Object.fromEntries(
        Object.entries(emulator.urls.imds).map(([name, url]) => [
          name,
          rewrite(url, origin, nodeOrigin),
        ]),
      ),
    };
    const vnicOwner = new Map(
      emulator.scenario.instances.flatMap((i) => i.vnics.map((v) => [v.id, i.name] as const)),
    );
    return {
      emulator,
      urls,
      holders: (ip) =>
        emulator
          .state()
          .privateIps.flatMap((p) =>
            p.ipAddress === ip && p.vnicId !== undefined
              ? [vnicOwner.get(p.vnicId) ?? p.vnicId]
              : [],
          ),
      events: (from, to) => {
        const window = emulator
          .requestLog()
          .map((r) => ({ r, t: Date.parse(r.time) }))
          .filter(({ t }) => t >= from && t <= to);
        // The first request of each instance: when its agent got as far as talking to OCI.
        const firsts = new Map<string, TimelineEvent>();
        for (const { r, t } of window) {
          const who = r.instance ?? r.principal ?? "?";
          if (firsts.has(who)) continue;
          firsts.set(who, {
            kind: "cloud-request",
            t,
            label: `OCI: first request from ${who} since the trigger (${r.operation})`,
            source: "emulator",
          });
        }
        const moves = window
          .filter(({ r }) => assignOperations.has(r.operation) && r.status >= 200 && r.status < 300)
          .map(
            ({ r, t }): TimelineEvent => ({
              kind: "cloud-move",
              t: t + r.durationMs,
              label: `OCI: ${r.operation} by ${r.principal ?? "?"} confirmed`,
              source: "emulator",
            }),
          );
        return [...firsts.values(), ...moves];
      },
      pids: forwarder.pid === undefined ? [] : [forwarder.pid],
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
