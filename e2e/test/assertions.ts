import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect } from "vitest";
import type { FailoverLab, ScenarioResult } from "../src/index.js";
import { expectedMac } from "../src/index.js";

/** A node's interface as its kernel reports it (works for dead nodes: the netns outlives them). */
export async function nodeLink(
  lab: FailoverLab,
  node: string,
): Promise<{ up: boolean; addresses: string[] }> {
  const plan = lab.cluster.plan.nodes.find((n) => n.name === node);
  if (!plan) throw new Error(`no node ${node}`);
  const { stdout } = await promisify(execFile)("ip", [
    "-json",
    "-n",
    plan.netns,
    "address",
    "show",
    "dev",
    plan.ifname,
  ]);
  const [link] = JSON.parse(stdout) as { flags: string[]; addr_info: { local?: string }[] }[];
  return {
    up: link?.flags.includes("UP") ?? false,
    addresses: link?.addr_info.flatMap((a) => (a.local ? [a.local] : [])) ?? [],
  };
}

/** Kernel view, asked directly (not through the sampler): nodes with the VIP on an up link. */
export async function nodesHoldingVip(lab: FailoverLab): Promise<string[]> {
  const holders: string[] = [];
  for (const node of lab.cluster.plan.nodes) {
    const link = await nodeLink(lab, node.name);
    if (link.up && link.addresses.includes(lab.resource.vip)) holders.push(node.name);
  }
  return holders;
}

/** The assertions every scenario shares: one owner, never two, the client reaches its MAC. */
export async function expectSingleOwner(
  lab: FailoverLab,
  result: ScenarioResult,
  owner: string,
): Promise<void> {
  expect(result.ownerAfter).toBe(owner);
  expect(result.samples).toBeGreaterThan(0);
  expect(result.dualActiveSamples).toBe(0);
  expect(result.activeAfter).toEqual([owner]);
  expect(await nodesHoldingVip(lab)).toEqual([owner]);
  const mac = expectedMac(lab, result);
  expect(mac).toBeDefined();
  expect(result.arp.neighborMac).toBe(mac);
  expect(result.arp.arpingMacs).toEqual([mac]);
}
