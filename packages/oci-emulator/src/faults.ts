import { z } from "zod";
import { EmulatorError } from "./errors.js";

/** Operations a fault can target. */
export const faultOperations = [
  "ListPrivateIps",
  "GetPrivateIp",
  "CreatePrivateIp",
  "UpdatePrivateIp",
  "DeletePrivateIp",
  "GetVnic",
  "GetSubnet",
  "ListIpv6s",
  "GetIpv6",
  "CreateIpv6",
  "UpdateIpv6",
  "DeleteIpv6",
  "ListVnicAttachments",
  "GetVnicAttachment",
  "ListPublicIps",
  "GetPublicIp",
  "GetPublicIpByPrivateIpId",
  "CreatePublicIp",
  "UpdatePublicIp",
  "DeletePublicIp",
  "ListRouteTables",
  "GetRouteTable",
  "UpdateRouteTable",
  "GetInstance",
  "ListInstances",
  "InstanceAction",
  "Imds",
  "Federation",
  "*",
] as const;

/** A fault rule as accepted by `faults.add()` and `POST /_emulator/faults`. */
export const faultRuleSchema = z
  .strictObject({
    operation: z.enum(faultOperations),
    instance: z.string().optional(),
    status: z.number().int().min(400).max(599).optional(),
    code: z.string().optional(),
    retryAfterSeconds: z.number().int().min(0).optional(),
    latencyMs: z.number().int().min(0).max(600_000).optional(),
    hang: z.boolean().optional(),
    reset: z.boolean().optional(),
    count: z.number().int().min(1).optional(),
  })
  .refine((r) => r.status !== undefined || r.latencyMs !== undefined || r.hang || r.reset, {
    message: "a fault needs at least one of status, latencyMs, hang or reset",
  });

/** What to inject: any status (with Retry-After), latency, a hang or a reset connection. */
export type FaultRule = z.input<typeof faultRuleSchema>;

/** A stored fault with its id and how many more requests it affects. */
export interface ActiveFault {
  id: string;
  rule: FaultRule;
  remaining: number | undefined;
}

/** The emulator's fault table. */
export interface FaultStore {
  add(rule: FaultRule): string;
  remove(id: string): boolean;
  clear(): void;
  list(): ActiveFault[];
  /** Consumes one use of the first rule matching the operation (and instance, when set). */
  take(operation: string, instance: string | undefined): ActiveFault | undefined;
}

/** Creates an empty {@link FaultStore}. */
export function createFaultStore(): FaultStore {
  let faults: ActiveFault[] = [];
  let next = 1;
  return {
    add(rule) {
      const parsed = faultRuleSchema.safeParse(rule);
      if (!parsed.success) {
        const detail = parsed.error.issues
          .map((i) => `${i.path.join(".") || "(rule)"}: ${i.message}`)
          .join("; ");
        throw new EmulatorError("FAULT_INVALID", `invalid fault rule: ${detail}`);
      }
      const id = `fault-${next++}`;
      faults.push({ id, rule: parsed.data as FaultRule, remaining: parsed.data.count });
      return id;
    },
    remove(id) {
      const before = faults.length;
      faults = faults.filter((f) => f.id !== id);
      return faults.length !== before;
    },
    clear() {
      faults = [];
    },
    list() {
      return faults.map((f) => ({ ...f, rule: { ...f.rule } }));
    },
    take(operation, instance) {
      if (faults.length === 0) return undefined;
      const fault = faults.find(
        (f) =>
          (f.rule.operation === "*" || f.rule.operation === operation) &&
          (f.rule.instance === undefined || f.rule.instance === instance),
      );
      if (!fault) return undefined;
      if (fault.remaining !== undefined) {
        fault.remaining -= 1;
        if (fault.remaining <= 0) faults = faults.filter((f) => f !== fault);
      }
      return fault;
    },
  };
}
