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

/** One element of `GET /opc/v2/vnics/` (the primary VNIC first). */
export const imdsVnicSchema = z.object({
  vnicId: nonEmpty(),
  privateIp: nonEmpty(),
  macAddr: nonEmpty(),
  subnetCidrBlock: z.optional(z.string()),
  nicIndex: z.optional(int().check(z.minimum(0))),
  vlanTag: z.optional(int()),
  virtualRouterIp: z.optional(z.string()),
  ipv6SubnetCidrBlock: z.optional(z.string()),
  ipv6VirtualRouterIp: z.optional(z.string()),
  ipv6Addresses: z.optional(z.array(z.string())),
});

/** `GET /opc/v2/vnics/`. */
export const imdsVnicsSchema = z.array(imdsVnicSchema);

/** Parsed instance document. */
export type ImdsInstance = z.infer<typeof imdsInstanceSchema>;
/** Parsed VNIC document. */
export type ImdsVnic = z.infer<typeof imdsVnicSchema>;
