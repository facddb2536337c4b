/** A local address as the agent needs to know it. */
export interface LocalAddress {
  /** Device holding the address. */
  readonly dev: string;
  /** Prefix length it is configured with. */
  readonly prefixLength: number;
  /**
   * True for an IPv4 address the kernel does not mark `secondary`: the first of its subnet on
   * the device, normally the interface's own address (deleting it also drops its secondaries).
   */
  readonly interfacePrimary: boolean;
}

/** The host side of a floating IP (implemented with `@ocfkit/iproute2`). */
export interface LocalNet {
  /** Every device that holds `ip`, with its prefix (normally zero or one). */
  findAddress(ip: string, signal: AbortSignal): Promise<LocalAddress[]>;
  /** Adds the address (idempotent); `label` only for IPv4. */
  addAddress(
    args: { dev: string; ip: string; prefixLength: number; label: string | undefined },
    signal: AbortSignal,
  ): Promise<{ changed: boolean }>;
  /** Removes the address from `dev` (idempotent). */
  deleteAddress(
    args: { dev: string; ip: string },
    signal: AbortSignal,
  ): Promise<{ changed: boolean }>;
  /** The device whose MAC address is `mac`, if any. */
  findInterfaceByMac(mac: string, signal: AbortSignal): Promise<string | undefined>;
  /** Whether a device named `dev` exists. */
  hasInterface(dev: string, signal: AbortSignal): Promise<boolean>;
  /** Gratuitous ARP / unsolicited neighbour advertisement. */
  announce(args: { dev: string; ip: string; count: number }, signal: AbortSignal): Promise<void>;
}

/** Our VNIC, as the metadata service describes it. */
export interface VnicFacts {
  readonly vnicId: string;
  readonly macAddress: string;
  /** IPv4 CIDR of its subnet, when known. */
  readonly subnetCidr: string | undefined;
  /** IPv6 CIDR of its subnet, when it has one. */
  readonly ipv6SubnetCidr: string | undefined;
}

/** How the agent picks its VNIC. */
export type VnicSelector =
  | { readonly vnicId: string }
  | { readonly mac: string }
  | { readonly nicIndex: number; readonly ip?: string }
  | { readonly ip: string };

/** Where an IP is assigned in the cloud right now. */
export interface CloudAssignment {
  readonly vnicId: string;
  readonly isPrimary: boolean;
}

/** Per-call limits. */
export interface CallOptions {
  readonly signal: AbortSignal;
  /** Epoch milliseconds by which the call must have returned. */
  readonly deadline: number;
}

/** The cloud side of a floating IP (implemented with `@ocfkit/oci-vnic`). */
export interface CloudNet {
  /** Our VNIC (metadata service, cached per boot: no API request). */
  selectVnic(selector: VnicSelector, options: CallOptions): Promise<VnicFacts>;
  /** Prefix length of the VNIC's subnet for `ip`'s family. */
  prefixLength(ip: string, vnic: VnicFacts, options: CallOptions): Promise<number>;
  /** Which VNIC holds `ip` (searching `vnic`'s subnet); undefined when none. One API request. */
  getAssignment(
    ip: string,
    vnic: VnicFacts,
    options: CallOptions,
  ): Promise<CloudAssignment | undefined>;
  /** Assigns or moves the IP to `vnic`; says what it did so a failed start can roll back. */
  assign(
    ip: string,
    vnic: VnicFacts,
    options: CallOptions,
  ): Promise<{ outcome: "created" | "moved" | "unchanged" }>;
  /** Releases the IP only if it is still on `vnic`. */
  release(ip: string, vnic: VnicFacts, options: CallOptions): Promise<{ released: boolean }>;
  /**
   * Makes ready, changing nothing, what a later start of `ip` needs (metadata, subnet facts,
   * credentials); says until when the credentials stay usable (epoch ms), if that is known.
   */
  prepare(
    ip: string,
    selector: VnicSelector,
    options: CallOptions,
  ): Promise<{ validUntil: number | undefined }>;
  /** The primary private IPs of this instance's VNICs (metadata service, cached per boot). */
  primaryIps(options: CallOptions): Promise<string[]>;
  /** Requests made so far, by operation (for logs and benchmarks). */
  requestCounts(): Record<string, number>;
}
