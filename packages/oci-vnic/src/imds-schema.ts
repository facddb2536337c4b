// Loaded lazily: only when a metadata response must be parsed. zod/mini, not zod classic: the
// same checks and issues at a fraction of the size and start-up cost (an agent loads this in a
// new process).
import * as z from "zod/mini";
import { en } from "zod/v4/locales";

/** English issue messages for one parse (zod/mini ships none), unless the application chose a locale. */
export function parseContext():
  | { error: NonNullable<ReturnType<typeof en>["localeError"]> }
  | undefined {
  const error = z.config().localeError === undefined ? en().localeError : undefined;
  return error ? { error } : undefined;
}

const nonEmpty = () => z.string().check(z.minLength(1));
const int = () => z.number().check(z.int());

/** `GET /opc/v2/instance/`: the fields we use; the service sends many more. */
export const imdsInstanceSchema = z.object({
  id: nonEmpty(),
  compartmentId: nonEmpty(),
  region: z.optional(z.string()),
  canonicalRegionName: z.optional(z.string()),
  availabilityDomain: z.optional(z.string()),
  displayName: z.optional(z.string()),
});

/**
 * A field OCI may omit, send as null or spell differently per shape: read as absent when it is not
 * what we expect, so one odd VNIC never makes the whole document unreadable.
 */
const lenient = <T extends z.ZodMiniType>(schema: T) => z.catch(z.optional(schema), undefined);

/**
 * One element of `GET /opc/v2/vnics/` (the primary VNIC first). Only `vnicId` and `macAddr` are
 * required: real documents omit `nicIndex` on VMs, and an IPv6-only VNIC has no `privateIp` or
 * `virtualRouterIp` and a `subnetCidrBlock` of "<null>" (see the emulator's real-shape fixtures).
 * Unknown fields are ignored.
 */
export const imdsVnicSchema = z.object({
  vnicId: nonEmpty(),
  macAddr: nonEmpty(),
  privateIp: lenient(nonEmpty()),
  subnetCidrBlock: lenient(z.string()),
  nicIndex: lenient(int().check(z.minimum(0))),
  vlanTag: lenient(int()),
  virtualRouterIp: lenient(z.string()),
  ipv6SubnetCidrBlock: lenient(z.string()),
  ipv6VirtualRouterIp: lenient(z.string()),
  ipv6Addresses: z.catch(z.optional(z.array(z.string())), undefined),
});

/** `GET /opc/v2/vnics/`. */
export const imdsVnicsSchema = z.array(imdsVnicSchema);

/** Parsed instance document. */
export type ImdsInstance = z.infer<typeof imdsInstanceSchema>;
/** Parsed VNIC document. */
export type ImdsVnic = z.infer<typeof imdsVnicSchema>;
