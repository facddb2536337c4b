/** One operation of a resource, as `pcs resource create ... op NAME key=value...` takes it. */
export interface ResourceOperation {
  readonly name: "monitor" | "start" | "stop";
  readonly options: Readonly<Record<string, string>>;
}

/** A primitive resource to create: agent, parameters, operations, where it should start. */
export interface ResourceSpec {
  readonly id: string;
  /** "ocf:heartbeat:IPaddr2" or "ocf:ocfkit:ocivip". */
  readonly agent: string;
  readonly params: Readonly<Record<string, string>>;
  /** Parameters whose value differs per node (a rule on #uname), e.g. each node's metadata URL. */
  readonly perNodeParams?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly operations: readonly ResourceOperation[];
  /** Node the resource prefers at first (score 50, below the stickiness so it never fails back). */
  readonly preferredNode?: string;
  /** The floating address this resource manages (what the sampler and the client look for). */
  readonly vip: string;
}

/** The local-only floor: `ocf:heartbeat:IPaddr2` holding the VIP on the node's interface. */
export function ipaddr2Resource(options: {
  id?: string;
  ip: string;
  cidrNetmask?: number;
  preferredNode?: string;
}): ResourceSpec {
  return {
    id: options.id ?? "VIP",
    agent: "ocf:heartbeat:IPaddr2",
    params: { ip: options.ip, cidr_netmask: String(options.cidrNetmask ?? 24) },
    operations: [{ name: "monitor", options: { interval: "5s", timeout: "20s" } }],
    ...(options.preferredNode === undefined ? {} : { preferredNode: options.preferredNode }),
    vip: options.ip,
  };
}

/** Arguments of `pcs resource create` for a spec (the tutorial's step-15 shape). */
export function pcsCreateArgs(spec: ResourceSpec): string[] {
  return [
    "resource",
    "create",
    spec.id,
    spec.agent,
    ...Object.entries(spec.params).map(([key, value]) => `${key}=${value}`),
    ...spec.operations.flatMap((op) => [
      "op",
      op.name,
      ...Object.entries(op.options).map(([key, value]) => `${key}=${value}`),
    ]),
  ];
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}

/**
 * `<instance_attributes>` blocks that apply only on one node each (Pacemaker rule on `#uname`),
 * to merge into the primitive with `cibadmin --modify`.
 */
export function perNodeAttributesXml(spec: ResourceSpec): string[] {
  return Object.entries(spec.perNodeParams ?? {}).map(([node, params], i) => {
    const setId = `${spec.id}-on-${node}`;
    const pairs = Object.entries(params)
      .map(
        ([name, value]) =>
          `<nvpair id="${setId}-${name}" name="${name}" value="${escapeAttribute(value)}"/>`,
      )
      .join("");
    return (
      `<instance_attributes id="${setId}" score="${100 - i}">` +
      `<rule id="${setId}-rule" score="INFINITY">` +
      `<expression id="${setId}-expr" attribute="#uname" operation="eq" value="${node}"/>` +
      `</rule>${pairs}</instance_attributes>`
    );
  });
}

/** Where the resource's CIB is prepared inside the node (its private /var/lib/pacemaker). */
const SHADOW_CIB = "/var/lib/pacemaker/ocfkit-new-resource.xml";

/**
 * Creates `spec` through `run` (a command runner inside a node) the way pcs documents for
 * changes that must land together: a copy of the CIB (`pcs cluster cib FILE`), the tutorial's
 * `pcs -f FILE resource create ...` line, the per-node parameter sets and the location
 * preference added to that copy (`CIB_file=FILE cibadmin`), then one `pcs cluster cib-push`.
 * Pacemaker sees the resource once, complete: its first probes already have every parameter.
 */
export async function createResourceWith(
  run: (command: string, args: readonly string[]) => Promise<unknown>,
  spec: ResourceSpec,
): Promise<void> {
  const onCopy = (args: readonly string[]) =>
    run("env", [`CIB_file=${SHADOW_CIB}`, "cibadmin", ...args]);
  await run("pcs", ["cluster", "cib", SHADOW_CIB]);
  try {
    await run("pcs", ["-f", SHADOW_CIB, ...pcsCreateArgs(spec)]);
    for (const xml of perNodeAttributesXml(spec)) {
      // --modify merges by id: the set is added under the existing primitive.
      await onCopy([
        "--modify",
        "--scope",
        "resources",
        "--xml-text",
        `<primitive id="${spec.id}">${xml}</primitive>`,
      ]);
    }
    if (spec.preferredNode !== undefined) {
      const node = spec.preferredNode;
      const constraint = `<rsc_location id="${spec.id}-prefers-${node}" rsc="${spec.id}" node="${node}" score="50"/>`;
      await onCopy(["--create", "--scope", "constraints", "--xml-text", constraint]);
    }
    await run("pcs", ["cluster", "cib-push", SHADOW_CIB, "--config"]);
  } finally {
    await run("rm", ["-f", SHADOW_CIB]);
  }
}
