import { runAgent } from "@ocfkit/ocf";
import { describe, expect, it } from "vitest";
import { ocivipAgent } from "../src/index.js";
import { createTestNetns } from "./helpers/netns.js";
import { createUpstreamWorld, runUpstream } from "./helpers/upstream.js";
import { xmllint } from "./helpers/xml.js";

async function ourMetadata(): Promise<string> {
  let out = "";
  const status = await runAgent(ocivipAgent, {
    argv: ["meta-data"],
    env: {},
    stdout: {
      write: (t: string) => {
        out += t;
      },
    },
    stderr: { write: () => true },
  });
  expect(status).toBe(0);
  return out;
}

describe("meta-data", () => {
  it("validates against pcs' OCF 1.1 schema and ocf-tester's DTD check (upstream advertises `validate`, which the DTD rejects)", async () => {
    const ours = await ourMetadata();
    expect(xmllint(ours, "pcs11")).toMatchObject({ ok: true });
    expect(xmllint(ours, "ocfTester")).toMatchObject({ ok: true });
    expect(ours).not.toMatch(/<action name="validate"/);

    const ns = createTestNetns();
    const world = createUpstreamWorld([]);
    try {
      const upstream = runUpstream(world, ns, "meta-data", {});
      expect(upstream.status).toBe(0);
      expect(upstream.stdout).toMatch(/<action name="validate"/);
      const verdict = xmllint(upstream.stdout, "dtd");
      expect(verdict.ok).toBe(false);
      expect(verdict.output).toMatch(/validate/);
    } finally {
      ns.remove();
      world.remove();
    }
  });

  it("is a superset of the shell agent's parameters, with the deprecated ones marked", async () => {
    const ours = await ourMetadata();
    for (const name of [
      "secondary_private_ip",
      "cidr_netmask",
      "interface_alias",
      "api_delay",
      "ocicli",
    ]) {
      expect(ours).toContain(`<parameter name="${name}"`);
    }
    expect(ours).toMatch(
      /<parameter name="api_delay"[^>]*>[\s\S]*?<shortdesc[^>]*>[^<]*deprecated/,
    );
    expect(ours).toMatch(
      /<parameter name="ocicli"[^>]*>[\s\S]*?<shortdesc[^>]*>[^<]*deprecated, use auth/,
    );
    expect(ours).toMatch(/<parameter name="secondary_private_ip"[^>]* unique="1" required="1"/);
  });

  it("declares OCF 1.1 and advertises reload-agent with the README's reloadable parameters", async () => {
    const ours = await ourMetadata();
    expect(ours).toContain("<version>1.1</version>");
    expect(ours).toMatch(/<action name="reload-agent" timeout="10s"/);
    const reloadable = [...ours.matchAll(/<parameter name="(\w+)"[^>]*reloadable="1"/g)].map(
      (m) => m[1],
    );
    for (const name of [
      "auth",
      "config_file",
      "profile",
      "region",
      "metadata_endpoint",
      "federation_endpoint",
      "api_endpoint",
      "announce_count",
      "cloud_check_interval",
      "warm_standby",
    ]) {
      expect(reloadable).toContain(name);
    }
    // What the address on the host or in the cloud depends on is not: changing it restarts.
    for (const name of [
      "secondary_private_ip",
      "cidr_netmask",
      "interface_alias",
      "interface",
      "vnic_id",
      "mac",
      "nic_index",
    ]) {
      expect(reloadable).not.toContain(name);
    }
  });
});
