import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { EmulatorError } from "./errors.js";
import {
  canonicalIpv6,
  type Ipv4Block,
  ipv4ToNumber,
  ipv4Usable,
  ipv6Inside,
  ipv6ToBigInt,
  parseIpv4Cidr,
  parseIpv6Cidr,
} from "./ip.js";
import {
  type ParsedScenario,
  type Scenario,
  type scenarioInstanceSchema,
  scenarioSchema,
  type scenarioUserSchema,
  type scenarioVnicSchema,
} from "./scenario-schema.js";

/** A scenario object whose optional `id` has been filled with its OCID. */
export type Identified<T> = Omit<T, "id"> & { id: string };
/** A VNIC of a resolved scenario (OCID and VLAN tag filled in; `nicIndex` only on bare metal). */
export type ResolvedVnic = Identified<z.output<typeof scenarioVnicSchema>> & { vlanTag: number };
/** An instance of a resolved scenario. */
export type ResolvedInstance = Identified<
  Omit<z.output<typeof scenarioInstanceSchema>, "vnics">
> & {
  availabilityDomain: string;
  vnics: ResolvedVnic[];
};
/** An API user of a resolved scenario (without a public key until the emulator generates one). */
export type ResolvedUser = Identified<z.output<typeof scenarioUserSchema>>;

/** A validated scenario with every OCID filled in (what `emulator.scenario` holds). */
export type ResolvedScenario = Omit<
  ParsedScenario,
  "tenancy" | "compartments" | "vcns" | "subnets" | "instances" | "users"
> & {
  tenancy: Identified<ParsedScenario["tenancy"]>;
  compartments: Identified<ParsedScenario["compartments"][number]>[];
  vcns: Identified<ParsedScenario["vcns"][number]>[];
  subnets: Identified<ParsedScenario["subnets"][number]>[];
  instances: ResolvedInstance[];
  users: ResolvedUser[];
};

const regionKeys: Record<string, string> = {
  "us-ashburn-1": "iad",
  "us-phoenix-1": "phx",
  "sa-saopaulo-1": "gru",
  "sa-vinhedo-1": "vcp",
  "eu-frankfurt-1": "fra",
  "uk-london-1": "lhr",
  "ap-tokyo-1": "nrt",
};

/** Whether a shape is bare metal (`BM.*`): only those have physical NIC indexes. */
export function isBareMetal(shape: string | undefined): boolean {
  return shape?.startsWith("BM.") === true;
}

/** A stable VLAN tag (1-4094) for a VNIC that gives none: real instances report non-zero tags. */
function derivedVlanTag(vnicId: string): number {
  const hash = createHash("sha256").update(vnicId).digest();
  return 1 + (hash.readUInt16BE(0) % 4094);
}

/** The short region key OCIDs and the metadata service use (`iad` for us-ashburn-1). */
export function regionKey(region: string): string {
  return regionKeys[region] ?? region;
}

/** A deterministic OCID for a named scenario object, stable across restarts. */
export function stableOcid(kind: string, region: string, name: string): string {
  const hash = createHash("sha256").update(`${kind}:${name}`).digest("hex").slice(0, 52);
  const scope =
    kind === "tenancy" || kind === "compartment" || kind === "user" ? "" : regionKey(region);
  return `ocid1.${kind}.oc1.${scope}.aaaaaaaa${hash}`;
}

/**
 * The built-in scenario: the tutorial's two-node layout in TEST-NET space (one subnet
 * 192.0.2.0/24 + 2001:db8:0:1::/64, node1 .11, node2 .12, the floating .100 free).
 */
export function defaultScenario(): Scenario {
  return {
    region: "us-ashburn-1",
    tenancy: { name: "ocfkit" },
    compartments: [{ name: "ha" }],
    vcns: [
      {
        name: "vcn-ha",
        compartment: "ha",
        cidrBlocks: ["192.0.2.0/24"],
        ipv6CidrBlocks: ["2001:db8::/56"],
      },
    ],
    subnets: [
      {
        name: "subnet-ha",
        vcn: "vcn-ha",
        compartment: "ha",
        cidrBlock: "192.0.2.0/24",
        ipv6CidrBlock: "2001:db8:0:1::/64",
        dnsLabel: "ha",
        virtualRouterMac: "00:00:17:00:00:01",
      },
    ],
    instances: [
      {
        name: "node1",
        compartment: "ha",
        hostname: "node1",
        vnics: [
          {
            subnet: "subnet-ha",
            macAddress: "02:00:17:00:00:11",
            privateIp: "192.0.2.11",
            hostnameLabel: "node1",
          },
        ],
      },
      {
        name: "node2",
        compartment: "ha",
        hostname: "node2",
        vnics: [
          {
            subnet: "subnet-ha",
            macAddress: "02:00:17:00:00:12",
            privateIp: "192.0.2.12",
            hostnameLabel: "node2",
          },
        ],
      },
    ],
    users: [{ name: "admin" }],
    dynamicGroups: [{ name: "ha-nodes", instances: ["node1", "node2"] }],
    grants: [
      { principal: "dynamic-group:ha-nodes", compartment: "ha", verb: "manage" },
      { principal: "user:admin", compartment: "ha", verb: "manage" },
    ],
  };
}

function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "(root)"}: ${issue.message}`)
    .join("; ");
}

/** Reads a JSON or YAML scenario file (by extension; YAML also accepts JSON) and validates it. */
export async function readScenarioFile(path: string): Promise<ResolvedScenario> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    throw new EmulatorError(
      "SCENARIO_READ_FAILED",
      `cannot read scenario file ${path}: ${String(cause)}`,
      { cause },
    );
  }
  let data: unknown;
  try {
    data = path.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (cause) {
    throw new EmulatorError(
      "SCENARIO_INVALID",
      `scenario file ${path} is not valid ${path.endsWith(".json") ? "JSON" : "YAML"}: ${String(cause)}`,
      { cause },
    );
  }
  return resolveScenario(data, path);
}

/** Validates a scenario object (zod, then cross-references) and fills in every OCID. */
export function resolveScenario(input: unknown, source = "scenario"): ResolvedScenario {
  const parsed = scenarioSchema.safeParse(input);
  if (!parsed.success) {
    throw new EmulatorError(
      "SCENARIO_INVALID",
      `${source} is invalid: ${formatIssues(parsed.error)}`,
    );
  }
  return crossCheck(fillIds(parsed.data), source);
}

function fillIds(s: ParsedScenario): ResolvedScenario {
  const id = (kind: string, given: string | undefined, name: string): string =>
    given ?? stableOcid(kind, s.region, name);
  return {
    ...s,
    tenancy: { ...s.tenancy, id: id("tenancy", s.tenancy.id, s.tenancy.name) },
    compartments: s.compartments.map((c) => ({ ...c, id: id("compartment", c.id, c.name) })),
    vcns: s.vcns.map((v) => ({ ...v, id: id("vcn", v.id, v.name) })),
    subnets: s.subnets.map((n) => ({ ...n, id: id("subnet", n.id, n.name) })),
    users: s.users.map((u) => ({ ...u, id: id("user", u.id, u.name) })),
    instances: s.instances.map((i) => ({
      ...i,
      id: id("instance", i.id, i.name),
      availabilityDomain: i.availabilityDomain ?? `Uocm:${regionKey(s.region).toUpperCase()}-AD-1`,
      vnics: i.vnics.map((v, index) => {
        const vnicId = id("vnic", v.id, `${i.name}/${index}`);
        return { ...v, id: vnicId, vlanTag: v.vlanTag ?? derivedVlanTag(vnicId) };
      }),
    })),
  };
}

function crossCheck(s: ResolvedScenario, source: string): ResolvedScenario {
  const fail = (where: string, message: string): never => {
    throw new EmulatorError("SCENARIO_INVALID", `${source} is invalid: ${where}: ${message}`);
  };
  const compartments = new Set(s.compartments.map((c) => c.name));
  const need = (where: string, set: Set<string>, value: string, what: string): void => {
    if (!set.has(value))
      fail(where, `unknown ${what} "${value}" (known: ${[...set].join(", ") || "none"})`);
  };
  const vcns = new Set(s.vcns.map((v) => v.name));
  for (const [i, v] of s.vcns.entries()) {
    need(`vcns.${i}.compartment`, compartments, v.compartment, "compartment");
  }
  s.subnets.forEach((n, i) => {
    need(`subnets.${i}.vcn`, vcns, n.vcn, "vcn");
    need(`subnets.${i}.compartment`, compartments, n.compartment, "compartment");
    if (n.cidrBlock === undefined && n.ipv6CidrBlock === undefined)
      fail(`subnets.${i}`, "a subnet needs cidrBlock, ipv6CidrBlock or both");
    if (n.cidrBlock === undefined && n.secondaryCidrBlocks?.length)
      fail(`subnets.${i}.secondaryCidrBlocks`, "an IPv6-only subnet has no IPv4 blocks");
    for (const [j, cidr] of [n.cidrBlock, ...(n.secondaryCidrBlocks ?? [])].entries()) {
      if (cidr !== undefined && !parseIpv4Cidr(cidr))
        fail(
          `subnets.${i}.${j === 0 ? "cidrBlock" : "secondaryCidrBlocks"}`,
          `"${cidr}" is not an IPv4 CIDR`,
        );
    }
    if (n.ipv6CidrBlock !== undefined && !parseIpv6Cidr(n.ipv6CidrBlock)) {
      fail(`subnets.${i}.ipv6CidrBlock`, `"${n.ipv6CidrBlock}" is not an IPv6 prefix`);
    }
  });
  const subnets = new Map(s.subnets.map((n) => [n.name, n]));
  const seenIps = new Set<string>();
  const seenMacs = new Set<string>();
  const instanceNames = new Set<string>();
  s.instances.forEach((inst, i) => {
    if (instanceNames.has(inst.name))
      fail(`instances.${i}.name`, `duplicate instance name "${inst.name}"`);
    instanceNames.add(inst.name);
    need(`instances.${i}.compartment`, compartments, inst.compartment, "compartment");
    inst.vnics.forEach((v, j) => {
      const where = `instances.${i}.vnics.${j}`;
      const subnet =
        subnets.get(v.subnet) ?? fail(`${where}.subnet`, `unknown subnet "${v.subnet}"`);
      if (v.nicIndex !== undefined && !isBareMetal(inst.shape)) {
        fail(
          `${where}.nicIndex`,
          `only bare metal shapes (BM.*) have NIC indexes; instance "${inst.name}" has shape ${inst.shape ?? "VM.Standard.E4.Flex"}`,
        );
      }
      const blocks = subnetIpv4Blocks(subnet);
      if (blocks.length === 0 && (v.privateIp !== undefined || v.secondaryPrivateIps?.length)) {
        fail(where, `subnet ${subnet.name} is IPv6-only: its VNICs have no private IPv4`);
      }
      if (blocks.length > 0 && v.privateIp === undefined) {
        fail(`${where}.privateIp`, `required: subnet ${subnet.name} has IPv4 blocks`);
      }
      if (blocks.length === 0 && !v.ipv6Addresses?.length) {
        fail(`${where}.ipv6Addresses`, "an IPv6-only VNIC needs at least one IPv6 address");
      }
      const ipv4s =
        v.privateIp === undefined ? [] : [v.privateIp, ...(v.secondaryPrivateIps ?? [])];
      for (const ip of ipv4s) {
        const usable = ipv4UsableIn(blocks, ip);
        if (usable !== "ok")
          fail(
            where,
            `${ip} is ${usable === "outside" ? "outside" : "reserved in"} subnet ${subnet.name} (${[subnet.cidrBlock, ...(subnet.secondaryCidrBlocks ?? [])].join(", ")})`,
          );
        if (seenIps.has(ip)) fail(where, `${ip} is used twice`);
        seenIps.add(ip);
      }
      for (const ip of v.ipv6Addresses ?? []) {
        const block6 = subnet.ipv6CidrBlock ? parseIpv6Cidr(subnet.ipv6CidrBlock) : undefined;
        const value = ipv6ToBigInt(ip);
        if (!block6 || value === undefined || !ipv6Inside(block6, value)) {
          fail(where, `IPv6 ${ip} is not inside subnet ${subnet.name}'s IPv6 prefix`);
        }
        const canonical = canonicalIpv6(ip)!;
        if (seenIps.has(canonical)) fail(where, `${ip} is used twice`);
        seenIps.add(canonical);
      }
      const macKey = v.macAddress.toLowerCase();
      if (seenMacs.has(macKey)) fail(`${where}.macAddress`, `${v.macAddress} is used twice`);
      seenMacs.add(macKey);
    });
  });
  s.publicIps.forEach((p, i) => {
    need(`publicIps.${i}.compartment`, compartments, p.compartment, "compartment");
    if (p.privateIp !== undefined && !seenIps.has(p.privateIp))
      fail(`publicIps.${i}.privateIp`, `${p.privateIp} is no private IP of the scenario`);
    if (p.lifetime === "EPHEMERAL" && p.privateIp === undefined)
      fail(`publicIps.${i}`, "an ephemeral public IP must be assigned to a private IP");
  });
  s.routeTables.forEach((t, i) => {
    need(`routeTables.${i}.vcn`, vcns, t.vcn, "vcn");
    need(`routeTables.${i}.compartment`, compartments, t.compartment, "compartment");
    t.rules.forEach((r, j) => {
      if (!seenIps.has(r.targetPrivateIp))
        fail(
          `routeTables.${i}.rules.${j}.targetPrivateIp`,
          `${r.targetPrivateIp} is no private IP of the scenario`,
        );
    });
  });
  const groups = new Set(s.dynamicGroups.map((g) => g.name));
  s.dynamicGroups.forEach((g, i) => {
    for (const [j, n] of g.instances.entries()) {
      need(`dynamicGroups.${i}.instances.${j}`, instanceNames, n, "instance");
    }
  });
  const users = new Set(s.users.map((u) => u.name));
  s.grants.forEach((g, i) => {
    need(`grants.${i}.compartment`, compartments, g.compartment, "compartment");
    const [kind, who = ""] = g.principal.split(":");
    if (who === "*") return;
    if (kind === "user") need(`grants.${i}.principal`, users, who, "user");
    if (kind === "instance") need(`grants.${i}.principal`, instanceNames, who, "instance");
    if (kind === "dynamic-group") need(`grants.${i}.principal`, groups, who, "dynamic group");
  });
  return s;
}

/** The IPv4 blocks of a scenario subnet: `cidrBlock` then `secondaryCidrBlocks` (none if IPv6-only). */
export function subnetIpv4Blocks(subnet: {
  cidrBlock?: string | undefined;
  secondaryCidrBlocks?: string[] | undefined;
}): Ipv4Block[] {
  return [subnet.cidrBlock, ...(subnet.secondaryCidrBlocks ?? [])]
    .filter((c): c is string => c !== undefined)
    .map((c) => parseIpv4Cidr(c))
    .filter((b): b is Ipv4Block => b !== undefined);
}

/** Whether `ip` is usable in one of `blocks` (inside one, and not reserved there). */
export function ipv4UsableIn(blocks: Ipv4Block[], ip: string): "ok" | "outside" | "reserved" {
  const value = ipv4ToNumber(ip) ?? -1;
  let result: "ok" | "outside" | "reserved" = "outside";
  for (const block of blocks) {
    const usable = ipv4Usable(block, value);
    if (usable === "ok") return "ok";
    if (usable === "reserved") result = "reserved";
  }
  return result;
}

/** Accepts a scenario object or a path to a JSON/YAML file; undefined means the default scenario. */
export async function loadScenario(
  scenario: Scenario | string | undefined,
): Promise<ResolvedScenario> {
  if (typeof scenario === "string") return readScenarioFile(scenario);
  return resolveScenario(scenario ?? defaultScenario());
}
