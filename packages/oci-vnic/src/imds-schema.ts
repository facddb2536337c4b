// Loaded lazily (zod costs ~80 ms to import): only when a metadata response must be parsed.
import { z } from "zod";

/** `GET /opc/v2/instance/`: the fields we use; the service sends many more. */
export const imdsInstanceSchema = z.object({
  id: z.string().min(1),
  compartmentId: z.string().min(1),
  region: z.string().optional(),
  canonicalRegionName: z.string().optional(),
  availabilityDomain: z.string().optional(),
  displayName: z.string().optional(),
});

/** One element of `GET /opc/v2/vnics/` (the primary VNIC first). */
export const imdsVnicSchema = z.object({
  vnicId: z.string().min(1),
  privateIp: z.string().min(1),
  macAddr: z.string().min(1),
  subnetCidrBlock: z.string().optional(),
  nicIndex: z.number().int().nonnegative().optional(),
  vlanTag: z.number().int().optional(),
  virtualRouterIp: z.string().optional(),
  ipv6SubnetCidrBlock: z.string().optional(),
  ipv6VirtualRouterIp: z.string().optional(),
  ipv6Addresses: z.array(z.string()).optional(),
});

/** `GET /opc/v2/vnics/`. */
export const imdsVnicsSchema = z.array(imdsVnicSchema);

/** Parsed instance document. */
export type ImdsInstance = z.infer<typeof imdsInstanceSchema>;
/** Parsed VNIC document. */
export type ImdsVnic = z.infer<typeof imdsVnicSchema>;
