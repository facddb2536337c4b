import type { VnicSelector } from "./ports.js";

/** How the agent authenticates to OCI. */
export type AuthSettings =
  | { readonly kind: "instance-principal" }
  | {
      readonly kind: "config-file";
      readonly configFile: string | undefined;
      readonly profile: string;
    }
  | { readonly kind: "resource-principal" };

/** The resource's parameters, normalised for the actions. */
export interface Settings {
  /** The floating IP (`secondary_private_ip`), canonical form. */
  readonly ip: string;
  readonly family: 4 | 6;
  /** Explicit `cidr_netmask`, else undefined (the subnet's prefix is used). */
  readonly prefixLength: number | undefined;
  /** IPv4 label suffix (`interface_alias`); undefined = no label. */
  readonly labelSuffix: string | undefined;
  /** Explicit `interface`, else undefined (the device whose MAC matches the VNIC). */
  readonly dev: string | undefined;
  readonly vnic: VnicSelector;
  readonly auth: AuthSettings;
  readonly region: string | undefined;
  readonly endpoints: {
    readonly metadata: string | undefined;
    readonly federation: string | undefined;
    readonly api: string | undefined;
  };
  /** Gratuitous ARP / NA count after start (0 = none). */
  readonly announceCount: number;
  /** Seconds between cloud checks in depth-0 monitors (0 = every monitor). */
  readonly cloudCheckIntervalSeconds: number;
  /** `release_on_stop`: stop deletes the private IP in OCI (else it stays, keeping its OCID). */
  readonly releaseOnStop: boolean;
}

/** Linux limit on interface names and IPv4 labels (IFNAMSIZ - 1). */
export const MAX_LABEL_LENGTH = 15;

/**
 * The IPv4 label `dev:suffix`, or undefined when there is none, the family is IPv6 (labels are
 * IPv4-only), or it would pass the kernel's 15-character limit (the address is then added without
 * a label instead of failing, which is what the shell agent did).
 */
export function labelFor(settings: Settings, dev: string): string | undefined {
  if (settings.labelSuffix === undefined || settings.family === 6) return undefined;
  const label = `${dev}:${settings.labelSuffix}`;
  return label.length <= MAX_LABEL_LENGTH ? label : undefined;
}
