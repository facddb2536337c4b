import { spawn } from "node:child_process";
import { defaultScenario } from "@ocfkit/oci-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collect, createWorld, VIP, type World } from "./helpers/world.js";

// `ocivip doctor` on node1 against the emulator: a healthy node, then a node whose dynamic group
// has no IAM policy, then one whose metadata service does not answer.

let healthy: World;
let noPolicy: World;
beforeAll(async () => {
  healthy = await createWorld({ nodes: { node1: undefined } });
  const scenario = defaultScenario();
  scenario.grants = (scenario.grants ?? []).filter(
    (g) => !g.principal.startsWith("dynamic-group:"),
  );
  noPolicy = await createWorld({ scenario, nodes: { node1: undefined } });
}, 120_000);
afterAll(async () => {
  await healthy?.close();
  await noPolicy?.close();
});

describe("ocivip doctor", () => {
  it("says every prerequisite is met on a healthy node, and changes nothing", async () => {
    const res = await healthy.run("doctor", { secondary_private_ip: VIP });
    expect(res.status, res.stdout).toBe(0);
    for (const line of [
      /ok +running as root/,
      /ok +metadata service v2 and our VNIC: VNIC ocid1\.vnic\./,
      /ok +host interface for the VNIC: ens3, address would be 192\.0\.2\.100\/24/,
      /ok +session .*IAM allows listing private IPs: 192\.0\.2\.100 is assigned to no VNIC/,
      /ok +corosync installed/,
      /ok +pacemakerd installed/,
      /WARN +IAM allows creating and moving private IPs: not testable/,
      /all required checks passed/,
    ]) {
      expect(res.stdout).toMatch(line);
    }
    expect(healthy.holder(VIP)).toBeUndefined();
  });

  it("names the missing IAM policy and the statement that fixes it", async () => {
    const res = await noPolicy.run("doctor", { secondary_private_ip: VIP });
    expect(res.status).toBe(1);
    expect(res.stdout).toMatch(/FAIL +session .*IAM allows listing private IPs/);
    expect(res.stdout).toMatch(/fix: .*IAM policy/);
    expect(res.stdout).toMatch(/use virtual-network-family/);
  });

  it("says what to fix when the metadata service does not answer", async () => {
    healthy.emulator.faults.add({ operation: "Imds", status: 500 });
    try {
      const res = await healthy.run(
        "doctor",
        {
          secondary_private_ip: VIP,
          metadata_endpoint: `${healthy.endpoints("node1").metadata_endpoint}`,
        },
        { env: { HA_RSCTMP: "/tmp/ocfk-doctor-none" } },
      );
      expect(res.status).toBe(1);
      expect(res.stdout).toMatch(/FAIL +metadata service v2 and our VNIC/);
      expect(res.stdout).toMatch(/fix: the instance metadata service \(v2\) does not answer/);
    } finally {
      healthy.emulator.faults.clear();
    }
  });

  it("takes the parameters as the --option VALUE syntax its --help shows", async () => {
    const node = healthy.nodes.node1!;
    const options = Object.entries({
      secondary_private_ip: VIP,
      ...healthy.endpoints("node1"),
    }).flatMap(([name, value]) => [`--${name.replaceAll("_", "-")}`, value]);
    const res = await collect(
      spawn(
        "ip",
        [
          "netns",
          "exec",
          node.ns.name,
          "env",
          "-i",
          "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
          `HA_RSCTMP=${node.rscTmp}`,
          process.execPath,
          healthy.agent.runner,
          "doctor",
          ...options,
        ],
        { stdio: ["ignore", "pipe", "pipe"] },
      ),
    );
    expect(res.status, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toMatch(/ok +parameters: secondary_private_ip=192\.0\.2\.100/);
    expect(res.stdout).toMatch(/ok +metadata service v2 and our VNIC/);
    expect(res.stdout).toMatch(/all required checks passed\n$/);
  });
});
