import { runAgent } from "@ocfkit/ocf";
import { describe, expect, it } from "vitest";
import { ocivipAgent } from "./agent.js";

async function run(action: string, env: Record<string, string>) {
  let err = "";
  const status = await runAgent(ocivipAgent, {
    argv: [action],
    env: { OCF_ROOT: "/usr/lib/ocf", HA_RSCTMP: "/tmp/ocfk-agent-test-none", ...env },
    stdout: { write: () => true },
    stderr: {
      write: (t: string) => {
        err += t;
      },
    },
  });
  return { status, err };
}

describe("ocivipAgent", () => {
  it("rejects an invalid IP in validate-all and start with a reason naming the parameter (6)", async () => {
    for (const action of ["validate-all", "start"]) {
      const res = await run(action, { OCF_RESKEY_secondary_private_ip: "10.0.0.300" });
      expect(res.status).toBe(6);
      expect(res.err).toMatch(/ocf-exit-reason:.*secondary_private_ip/);
    }
  });

  it("lets stop succeed for a resource whose parameters are invalid: nothing could be running", async () => {
    const res = await run("stop", { OCF_RESKEY_secondary_private_ip: "10.0.0.300" });
    expect(res.status).toBe(0);
    expect(res.err).toMatch(/no valid secondary_private_ip, so no address to remove/);
  });

  it("answers reload-agent without touching the host or the cloud", async () => {
    const res = await run("reload-agent", {
      OCF_RESKEY_secondary_private_ip: "192.0.2.100",
      OCF_RESKEY_cloud_check_interval: "120",
    });
    expect(res.status).toBe(0);
  });
});
