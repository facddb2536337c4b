// Benchmark: wall time of our calls against the bare `ip` commands they wrap, in a test netns.
// Run: pnpm --filter @ocfkit/iproute2 bench (root). Writes bench-results/iproute2.md.
import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { release } from "node:os";
import { promisify } from "node:util";
import { createIproute2 } from "../src/index.js";
import { createLab, ip } from "../test/netns.js";

const run = promisify(execFile);
// Bounded: the machine is shared. Override with ITERATIONS=n (max 2000).
const iterations = Math.min(Number(process.env.ITERATIONS ?? 200), 2000);
const warmup = 20;
const resultsFile = new URL("../../../bench-results/iproute2.md", import.meta.url);

interface Pair {
  name: string;
  ours: () => Promise<unknown>;
  bare: () => Promise<unknown>;
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Alternates ours/bare each iteration so drift in machine load hits both alike. */
async function measure(pair: Pair): Promise<{ ours: number; bare: number }> {
  for (let i = 0; i < warmup; i++) {
    await pair.ours();
    await pair.bare();
  }
  const ours: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < iterations; i++) {
    ours.push(await time(pair.ours));
    bare.push(await time(pair.bare));
  }
  return { ours: median(ours), bare: median(bare) };
}

async function main(): Promise<void> {
  const lab = await createLab();
  try {
    const ns = lab.node;
    const dev = lab.nodeDev;
    await ip("-n", ns, "addr", "add", "192.0.2.11/24", "dev", dev);
    await ip("-n", ns, "-6", "addr", "add", "2001:db8:0:1::11/64", "dev", dev, "nodad");
    const ipr = createIproute2({ netns: ns });
    const bareIp = (...args: string[]) => run("/usr/sbin/ip", ["-n", ns, ...args]);
    const bareV6Pair = async () => {
      await bareIp("-6", "addr", "add", "2001:db8:0:1::102/64", "dev", dev, "nodad");
      await bareIp("-6", "addr", "del", "2001:db8:0:1::102/64", "dev", dev);
    };
    const pairs: Pair[] = [
      {
        name: "listAddresses()",
        ours: () => ipr.listAddresses(),
        bare: () => bareIp("-json", "addr", "show"),
      },
      {
        name: "add + delete IPv4 (delete with prefixLength)",
        ours: async () => {
          await ipr.addAddress({ dev, address: "192.0.2.100", prefixLength: 24 });
          await ipr.deleteAddress({ dev, address: "192.0.2.100", prefixLength: 24 });
        },
        bare: async () => {
          await bareIp("-4", "addr", "add", "192.0.2.100/24", "brd", "+", "dev", dev);
          await bareIp("-4", "addr", "del", "192.0.2.100/24", "dev", dev);
        },
      },
      {
        name: "add + delete IPv6 nodad (delete with prefixLength)",
        ours: async () => {
          await ipr.addAddress({
            dev,
            address: "2001:db8:0:1::100",
            prefixLength: 64,
            noDad: true,
          });
          await ipr.deleteAddress({ dev, address: "2001:db8:0:1::100", prefixLength: 64 });
        },
        bare: bareV6Pair,
      },
      {
        name: "add + delete IPv6 nodad (delete without prefixLength)",
        ours: async () => {
          await ipr.addAddress({
            dev,
            address: "2001:db8:0:1::101",
            prefixLength: 64,
            noDad: true,
          });
          await ipr.deleteAddress({ dev, address: "2001:db8:0:1::101" });
        },
        bare: bareV6Pair,
      },
    ];
    const rows: string[] = [];
    for (const pair of pairs) {
      const { ours, bare } = await measure(pair);
      const ratio = ours / bare;
      rows.push(
        `| ${pair.name} | ${ours.toFixed(2)} | ${bare.toFixed(2)} | ${ratio.toFixed(2)}× | ${ratio <= 1.3 ? "yes" : "no"} |`,
      );
      console.log(
        `${pair.name}: ours ${ours.toFixed(2)} ms, bare ${bare.toFixed(2)} ms, ${ratio.toFixed(2)}x`,
      );
    }
    const ipVersion = (await run("/usr/sbin/ip", ["-V"])).stdout.trim();
    const report = [
      "# @ocfkit/iproute2 benchmark",
      "",
      `Median wall time over ${iterations} iterations (after ${warmup} warm-up), in a test network`,
      'namespace, ours and the bare `ip` command(s) alternating. "Bare" runs the same `ip` commands',
      "from Node with `execFile` and no parsing or checks. Goal: ours ≤ 1.3× bare.",
      "",
      "| operation | ours (ms) | bare ip (ms) | ratio | ≤ 1.3× |",
      "| --- | ---: | ---: | ---: | --- |",
      ...rows,
      "",
      "`addAddress` reads the address's state and adds it in one `ip -batch` process (one process,",
      "like the bare add). `deleteAddress` with `prefixLength` runs one `ip addr del` (and lists only",
      'when the kernel says the address is absent, to tell "gone" from "other prefix"); without',
      "it, one `ip -s addr flush dev D to A/32|128` deletes the address whatever its prefix.",
      "Timings swing with load on the shared machine; the ratio compares interleaved runs.",
      "",
      `Environment: Node ${process.version}, Linux ${release()}, ${ipVersion}, ${new Date().toISOString()}.`,
      "",
    ].join("\n");
    await mkdir(new URL(".", resultsFile), { recursive: true });
    await writeFile(resultsFile, report);
    console.log(`wrote ${resultsFile.pathname}`);
  } finally {
    await lab.destroy();
  }
}

await main();
