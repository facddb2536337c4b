import { z } from "zod";
import { faultOperations } from "./faults.js";

/** A per-request delay: uniform between `minMs` and `maxMs`. */
export const latencyRangeSchema = z
  .strictObject({
    minMs: z.number().int().min(0).max(60_000),
    maxMs: z.number().int().min(0).max(60_000),
  })
  .refine((r) => r.minMs <= r.maxMs, { message: "minMs must not exceed maxMs" });
/** A latency range. */
export type LatencyRange = z.infer<typeof latencyRangeSchema>;

const operationNames = faultOperations.filter((o) => o !== "*") as [string, ...string[]];

/**
 * How long the emulator takes to answer, by kind of endpoint, with per-operation overrides
 * (`operations.UpdatePrivateIp`, `operations.Imds`, ...).
 */
export const latencyProfileSchema = z.strictObject({
  api: latencyRangeSchema.optional(),
  federation: latencyRangeSchema.optional(),
  imds: latencyRangeSchema.optional(),
  operations: z.partialRecord(z.enum(operationNames), latencyRangeSchema).optional(),
});
/** A latency profile. */
export type LatencyProfile = z.infer<typeof latencyProfileSchema>;

/**
 * Named profiles. `zero`: answers at once (what unit tests want). `realistic`: what to plan for
 * against real OCI, which publishes no latency figures: VirtualNetwork calls over TLS to a
 * regional endpoint take tens to hundreds of milliseconds (40-250 ms here), a federation call
 * signs and issues a token (100-400 ms), and the link-local metadata service answers in a few
 * milliseconds (1-5 ms). Uniform in each range.
 */
export const latencyProfiles = {
  zero: {},
  realistic: {
    api: { minMs: 40, maxMs: 250 },
    federation: { minMs: 100, maxMs: 400 },
    imds: { minMs: 1, maxMs: 5 },
  },
} as const satisfies Record<string, LatencyProfile>;

/** A profile by name, or a custom one. */
export const latencySchema = z.union([
  z.enum(Object.keys(latencyProfiles) as [keyof typeof latencyProfiles]),
  latencyProfileSchema,
]);
/** What `latency` accepts: `"zero"`, `"realistic"` or a {@link LatencyProfile}. */
export type Latency = z.input<typeof latencySchema>;

/** A resolved latency: its name (`custom` for an object) and a delay per operation. */
export interface LatencyModel {
  /** `zero`, `realistic` or `custom`. */
  name: string;
  profile: LatencyProfile;
  /** A delay in ms for one request of `operation` (`Imds`, `Federation` or an API operation). */
  delayFor(operation: string): number;
}

/** Builds the {@link LatencyModel} of a profile; `random` is injectable for tests. */
export function latencyModel(latency: Latency = "zero", random = Math.random): LatencyModel {
  const profile: LatencyProfile =
    typeof latency === "string" ? latencyProfiles[latency] : latencyProfileSchema.parse(latency);
  const name = typeof latency === "string" ? latency : "custom";
  return {
    name,
    profile,
    delayFor(operation) {
      const range =
        profile.operations?.[operation] ??
        (operation === "Imds"
          ? profile.imds
          : operation === "Federation"
            ? profile.federation
            : profile.api);
      if (!range) return 0;
      return Math.round(range.minMs + random() * (range.maxMs - range.minMs));
    },
  };
}
