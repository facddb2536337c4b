import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createRequestCounters } from "./counters.js";
import { createDeadline } from "./deadline.js";
import { createImdsClient } from "./imds.js";

// A small real HTTP server on loopback stands in for the metadata service's edge cases.
let server: Server;
let base: string;
let behaviour: "ok" | "flaky" | "down" | "hang" | "garbage" | "half" = "ok";
let hits = 0;
/** Per request: its path, when it came and when its connection closed (ms since epoch). */
const requests: { url: string; at: number; closedAt?: number }[] = [];
const seenAuth: (string | undefined)[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    hits++;
    seenAuth.push(req.headers.authorization);
    const entry: { url: string; at: number; closedAt?: number } = {
      url: req.url ?? "",
      at: Date.now(),
    };
    requests.push(entry);
    res.on("close", () => {
      entry.closedAt = Date.now();
    });
    if (behaviour === "hang") return;
    if (behaviour === "half") {
      // The instance document is refused for good; the VNICs document never comes.
      if (req.url === "/opc/v2/instance/") res.writeHead(404).end("gone");
      return;
    }
    if (behaviour === "down" || (behaviour === "flaky" && hits === 1)) {
      res.writeHead(503).end("busy");
      return;
    }
    if (req.headers.authorization !== "Bearer Oracle") {
      res.writeHead(401).end("no");
      return;
    }
    const body =
      req.url === "/opc/v2/instance/"
        ? {
            id: "ocid1.instance.oc1..i",
            compartmentId: "ocid1.compartment.oc1..c",
            region: "iad",
            canonicalRegionName: "us-ashburn-1",
          }
        : behaviour === "garbage"
          ? [{ vnicId: 7 }]
          : [
              {
                vnicId: "ocid1.vnic.oc1..v",
                privateIp: "192.0.2.11",
                macAddr: "02:00:17:00:00:11",
                subnetCidrBlock: "192.0.2.0/24",
              },
            ];
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/opc/v2`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
beforeEach(() => {
  behaviour = "ok";
  hits = 0;
  seenAuth.length = 0;
  requests.length = 0;
});

const policy = { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 10, attemptTimeoutMs: 200 };

describe("metadata service client", () => {
  it("reads the instance and all VNICs with Authorization: Bearer Oracle, counting requests", async () => {
    const counters = createRequestCounters();
    const imds = createImdsClient({
      baseUrl: base,
      counters,
      policy: { ...policy, attemptTimeoutMs: 5000 },
    });
    expect(imds.baseUrl.endsWith("/opc/v2/")).toBe(true);
    const snap = await imds.fetchSnapshot(createDeadline(undefined, 5000));
    expect(snap.instance).toMatchObject({ id: "ocid1.instance.oc1..i", region: "us-ashburn-1" });
    expect(snap.vnics).toHaveLength(1);
    expect(snap.vnics[0]).toMatchObject({
      isPrimaryVnic: true,
      nicIndex: undefined, // a VM's metadata has no nicIndex
      subnetCidr: "192.0.2.0/24",
    });
    expect(seenAuth.every((a) => a === "Bearer Oracle")).toBe(true);
    expect(counters.snapshot()).toEqual({ Imds: 2 });
  });

  it("retries a 503, then succeeds", async () => {
    behaviour = "flaky";
    const counters = createRequestCounters();
    const imds = createImdsClient({ baseUrl: base, counters, policy });
    expect(await imds.getText("instance/", createDeadline(undefined, 5000))).toContain(
      "ocid1.instance",
    );
    expect(counters.snapshot()).toEqual({ Imds: 2 });
  });

  it("gives METADATA_UNAVAILABLE after its retries, and on a hang within the attempt timeouts", async () => {
    const counters = createRequestCounters();
    const imds = createImdsClient({ baseUrl: base, counters, policy });
    behaviour = "down";
    await expect(imds.getText("instance/", createDeadline(undefined, 5000))).rejects.toMatchObject({
      code: "METADATA_UNAVAILABLE",
      status: 503,
    });
    expect(hits).toBe(3);
    behaviour = "hang";
    const started = Date.now();
    await expect(imds.getText("instance/", createDeadline(undefined, 5000))).rejects.toMatchObject({
      code: "METADATA_UNAVAILABLE",
    });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("reports TIMEOUT when the caller's deadline ends first", async () => {
    behaviour = "hang";
    const imds = createImdsClient({
      baseUrl: base,
      counters: createRequestCounters(),
      policy: { ...policy, attemptTimeoutMs: 5000 },
    });
    await expect(
      imds.getText("instance/", createDeadline({ timeoutMs: 150 }, 5000)),
    ).rejects.toMatchObject({ code: "TIMEOUT" });
  });

  it("stops the other request at once when one of the two fails: nothing stays in flight", async () => {
    behaviour = "half";
    const imds = createImdsClient({
      baseUrl: base,
      counters: createRequestCounters(),
      policy: { ...policy, attemptTimeoutMs: 300 },
    });
    await expect(imds.fetchSnapshot(createDeadline(undefined, 5000))).rejects.toMatchObject({
      code: "METADATA_UNAVAILABLE",
      status: 404,
    });
    const failedAt = Date.now();
    // Longer than one attempt's timeout: a request left running would have been retried by now.
    await new Promise((r) => setTimeout(r, 700));
    const vnics = requests.filter((r) => r.url === "/opc/v2/vnics/");
    expect(vnics).toHaveLength(1);
    expect(vnics[0]!.closedAt).toBeDefined();
    expect(vnics[0]!.closedAt! - failedAt).toBeLessThan(150);
  });

  it("rejects documents of the wrong shape with the path of the problem", async () => {
    behaviour = "garbage";
    const imds = createImdsClient({ baseUrl: base, counters: createRequestCounters(), policy });
    await expect(imds.fetchSnapshot(createDeadline(undefined, 5000))).rejects.toThrow(
      /unexpected shape at 0\.vnicId/,
    );
  });
});
