import { z } from "zod";
import { E2eError } from "./errors.js";
import { findAll, parseXml, type XmlElement } from "./xml.js";

const flag = z.enum(["true", "false"]).transform((value) => value === "true");

const nodeSchema = z.object({
  name: z.string(),
  id: z.string(),
  online: flag,
  standby: flag,
  unclean: flag,
  pending: flag,
  shutdown: flag,
  is_dc: flag,
});

const resourceSchema = z.object({
  id: z.string(),
  resource_agent: z.string(),
  role: z.string(),
  active: flag,
  failed: flag,
  pending: z.string().optional(),
});

const failureSchema = z.object({
  op_key: z.string(),
  node: z.string(),
  exitstatus: z.string().optional(),
  exitreason: z.string().optional(),
});

/** One node as crm_mon sees it. */
export interface NodeStatus {
  readonly name: string;
  readonly id: string;
  readonly online: boolean;
  readonly standby: boolean;
  readonly unclean: boolean;
  readonly pending: boolean;
  readonly shutdown: boolean;
  readonly isDc: boolean;
}

/** One primitive resource as crm_mon sees it. */
export interface ResourceStatus {
  readonly id: string;
  /** e.g. "ocf:heartbeat:IPaddr2". */
  readonly agent: string;
  /** "Started", "Stopped", "Starting"... */
  readonly role: string;
  readonly active: boolean;
  readonly failed: boolean;
  /** Operation in flight ("Starting", "Stopping"...) when Pacemaker records pending operations. */
  readonly pending: string | undefined;
  /** Names of the nodes the resource runs on (more than one means it is active twice). */
  readonly runningOn: readonly string[];
}

/** A failed operation recorded in the status section. */
export interface FailedAction {
  readonly operation: string;
  readonly node: string;
  readonly exitStatus: string | undefined;
  readonly exitReason: string | undefined;
}

/** The cluster as `crm_mon --output-as=xml` reports it, typed. */
export interface ClusterStatus {
  /** Name of the Designated Controller, undefined while there is none. */
  readonly dc: string | undefined;
  readonly quorate: boolean;
  readonly nodes: readonly NodeStatus[];
  readonly resources: readonly ResourceStatus[];
  readonly failures: readonly FailedAction[];
}

function parseWith<T>(schema: z.ZodType<T>, element: XmlElement): T {
  const parsed = schema.safeParse(element.attributes);
  if (!parsed.success) {
    throw new E2eError(
      "BAD_CRM_MON_OUTPUT",
      `crm_mon <${element.name}> has unexpected attributes ${JSON.stringify(element.attributes)}: ${parsed.error.issues[0]?.message}`,
    );
  }
  return parsed.data;
}

/** Parses `crm_mon --output-as=xml` (Pacemaker 2.1) into a {@link ClusterStatus}. */
export function parseCrmMon(xml: string): ClusterStatus {
  const root = parseXml(xml);
  if (root.name !== "pacemaker-result") {
    throw new E2eError("BAD_CRM_MON_OUTPUT", `expected <pacemaker-result>, got <${root.name}>`);
  }
  const dcElement = findAll(root, "current_dc")[0];
  const dcPresent = dcElement?.attributes.present === "true";
  const nodesSection = root.children.find((c) => c.name === "nodes");
  const resourcesSection = root.children.find((c) => c.name === "resources");
  const nodes = (nodesSection?.children ?? [])
    .filter((c) => c.name === "node")
    .map((element) => {
      const n = parseWith(nodeSchema, element);
      const { is_dc: isDc, ...rest } = n;
      return { ...rest, isDc };
    });
  const resources = findAll(resourcesSection ?? root, "resource").map((element) => {
    const r = parseWith(resourceSchema, element);
    return {
      id: r.id,
      agent: r.resource_agent,
      role: r.role,
      active: r.active,
      failed: r.failed,
      pending: r.pending,
      runningOn: element.children
        .filter((c) => c.name === "node")
        .map((c) => c.attributes.name ?? "?"),
    };
  });
  const failures = findAll(root, "failure").map((element) => {
    const f = parseWith(failureSchema, element);
    return {
      operation: f.op_key,
      node: f.node,
      exitStatus: f.exitstatus,
      exitReason: f.exitreason,
    };
  });
  return {
    dc: dcPresent ? dcElement?.attributes.name : undefined,
    quorate: dcPresent && dcElement?.attributes.with_quorum === "true",
    nodes,
    resources,
    failures,
  };
}

/**
 * Nodes where resource `id` is Started with no start/stop in flight (a start still retrying shows
 * role Started with pending="Starting"); empty when it is stopped, missing or moving.
 */
export function settledOn(status: ClusterStatus, id: string): readonly string[] {
  const r = status.resources.find((x) => x.id === id);
  // A monitor in flight (pending="Monitoring") leaves the resource where it is.
  const busy = r?.pending !== undefined && r.pending !== "Monitoring";
  return r && r.role === "Started" && !busy ? r.runningOn : [];
}
