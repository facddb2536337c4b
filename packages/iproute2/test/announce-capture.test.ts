import { afterAll, beforeAll, expect, it } from "vitest";
import { createIproute2, type Iproute2 } from "../src/index.js";
import { startCapture } from "./capture.js";
import { createLab, ip, type Lab } from "./netns.js";

// Counts the announcements on the wire, on the peer's side of the veth pair, with tcpdump.
let lab: Lab;
let ipr: Iproute2;

beforeAll(async () => {
  lab = await createLab();
  ipr = createIproute2({ netns: lab.node });
  await ip("-n", lab.node, "addr", "add", "192.0.2.11/24", "dev", lab.nodeDev);
  await ipr.addAddress({ dev: lab.nodeDev, address: "192.0.2.100", prefixLength: 24 });
  await ipr.addAddress({
    dev: lab.nodeDev,
    address: "2001:db8:0:1::100",
    prefixLength: 64,
    noDad: true,
  });
}, 60_000);

afterAll(async () => {
  await lab?.destroy();
});

it("IPv4: count gratuitous ARP request/reply pairs from our MAC", async () => {
  const capture = await startCapture(lab.peer, lab.peerDev, "arp");
  await ipr.announce({ dev: lab.nodeDev, address: "192.0.2.100", count: 3, intervalMs: 20 });
  const lines = await capture.stop();
  const ours = lines.filter((l) => l.includes(`${lab.nodeMac} > ff:ff:ff:ff:ff:ff`));
  expect(
    ours.filter((l) => l.includes("Request who-has 192.0.2.100 tell 192.0.2.100")),
  ).toHaveLength(3);
  expect(ours.filter((l) => l.includes(`Reply 192.0.2.100 is-at ${lab.nodeMac}`))).toHaveLength(3);
});

/** Waits (bounded) until process `pid` is gone; kills it if it outlives the bound. */
async function waitGone(pid: number, boundMs = 10_000): Promise<boolean> {
  const until = Date.now() + boundMs;
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    if (Date.now() > until) {
      process.kill(pid, "SIGKILL");
      return false;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

it("IPv4 in the background: returns with the sender's PID; the sender still sends them all", async () => {
  const capture = await startCapture(lab.peer, lab.peerDev, "arp");
  const result = await ipr.announce({
    dev: lab.nodeDev,
    address: "192.0.2.100",
    count: 3,
    intervalMs: 200,
    background: true,
  });
  expect(result).toMatchObject({ tool: "send_arp", count: 3, intervalMs: 200 });
  expect(result.pid).toBeGreaterThan(0);
  // Returned while the sender was still running (it takes 3 × 200 ms).
  expect(() => process.kill(result.pid!, 0)).not.toThrow();
  expect(await waitGone(result.pid!)).toBe(true);
  const lines = await capture.stop();
  const ours = lines.filter((l) => l.includes(`${lab.nodeMac} > ff:ff:ff:ff:ff:ff`));
  expect(ours.filter((l) => l.includes(`Reply 192.0.2.100 is-at ${lab.nodeMac}`))).toHaveLength(3);
});

it("IPv6: count unsolicited neighbour advertisements to all-nodes", async () => {
  const capture = await startCapture(lab.peer, lab.peerDev, "icmp6 and ip6[40] == 136");
  await ipr.announce({ dev: lab.nodeDev, address: "2001:db8:0:1::100", count: 2, intervalMs: 20 });
  const lines = await capture.stop();
  const adverts = lines.filter(
    (l) =>
      l.includes(lab.nodeMac) && l.includes("> ff02::1") && l.includes("tgt is 2001:db8:0:1::100"),
  );
  expect(adverts).toHaveLength(2);
});
