import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { EmulatorError } from "./errors.js";
import { defaultScenario, loadScenario, resolveScenario } from "./scenario.js";

describe("scenario", () => {
  it("resolves the default scenario with stable OCIDs", () => {
    const a = resolveScenario(defaultScenario());
    const b = resolveScenario(defaultScenario());
    expect(a.instances.map((i) => i.vnics[0]!.privateIp)).toEqual(["192.0.2.11", "192.0.2.12"]);
    expect(a.instances[0]!.id).toMatch(/^ocid1\.instance\.oc1\.iad\./);
    expect(a.tenancy.id).toMatch(/^ocid1\.tenancy\.oc1\.\./);
    expect(a.instances[0]!.id).toBe(b.instances[0]!.id);
    expect(a.limits).toEqual({ secondaryIpv4PerVnic: 31, ipv6PerVnic: 32 });
  });

  it("names the field and what is allowed on a schema error", () => {
    const bad = { ...defaultScenario(), region: "Ashburn" };
    expect(() => resolveScenario(bad)).toThrowError(
      /region: must be a region id such as us-ashburn-1/,
    );
    const mac = defaultScenario();
    mac.instances[0]!.vnics[0]!.macAddress = "zz";
    expect(() => resolveScenario(mac)).toThrowError(
      /instances\.0\.vnics\.0\.macAddress: must be a MAC address/,
    );
  });

  it("checks cross references: subnets, addresses, duplicates, grants", () => {
    const outside = defaultScenario();
    outside.instances[1]!.vnics[0]!.privateIp = "198.51.100.12";
    expect(() => resolveScenario(outside)).toThrowError(
      /198\.51\.100\.12 is outside subnet subnet-ha \(192\.0\.2\.0\/24\)/,
    );
    const dup = defaultScenario();
    dup.instances[1]!.vnics[0]!.privateIp = "192.0.2.11";
    expect(() => resolveScenario(dup)).toThrowError(/192\.0\.2\.11 is used twice/);
    const grant = defaultScenario();
    grant.grants = [{ principal: "user:nobody", compartment: "ha" }];
    expect(() => resolveScenario(grant)).toThrowError(/unknown user "nobody"/);
    const thrown = (() => {
      try {
        resolveScenario({ ...defaultScenario(), subnets: [] });
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(thrown).toBeInstanceOf(EmulatorError);
    expect((thrown as EmulatorError).code).toBe("SCENARIO_INVALID");
  });

  it("loads YAML and JSON files and reports unreadable ones", async () => {
    const dir = await mkdtemp(join(tmpdir(), "oci-emu-scn-"));
    try {
      await writeFile(join(dir, "s.yaml"), stringify(defaultScenario()));
      await writeFile(join(dir, "s.json"), JSON.stringify(defaultScenario()));
      await writeFile(join(dir, "broken.json"), "{");
      expect((await loadScenario(join(dir, "s.yaml"))).region).toBe("us-ashburn-1");
      expect((await loadScenario(join(dir, "s.json"))).instances).toHaveLength(2);
      await expect(loadScenario(join(dir, "broken.json"))).rejects.toMatchObject({
        code: "SCENARIO_INVALID",
      });
      await expect(loadScenario(join(dir, "missing.yaml"))).rejects.toMatchObject({
        code: "SCENARIO_READ_FAILED",
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
