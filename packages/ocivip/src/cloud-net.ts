import { createOciVnic, type OciVnic, type VnicInfo } from "@ocfkit/oci-vnic";
import type { VipLog } from "./context.js";
import type { CloudNet, VnicFacts } from "./ports.js";
import type { Settings } from "./settings.js";

/** Attempts per request: in practice unbounded, the action's deadline ends the retries. */
const ACTION_MAX_ATTEMPTS = 1000;

/** What {@link createCloudNet} needs. */
export interface CloudNetOptions {
  readonly settings: Settings;
  /** The resource's private directory (runtime/files.ts), for oci-vnic's caches; none when refused. */
  readonly cacheDir: string | undefined;
  readonly log: VipLog;
}

function authOf(settings: Settings) {
  switch (settings.auth.kind) {
    case "config-file":
      return {
        kind: "config-file" as const,
        path: settings.auth.configFile,
        profile: settings.auth.profile,
      };
    case "resource-principal":
      return { kind: "resource-principal" as const };
    default:
      return { kind: "instance-principal" as const };
  }
}

/**
 * The cloud side of the agent on `@ocfkit/oci-vnic`; loaded by a dynamic import only when an
 * action needs the cloud, and the SDK itself only when a request is made.
 */
export function createCloudNet(options: CloudNetOptions): CloudNet {
  const { settings, log } = options;
  const client: OciVnic = createOciVnic({
    auth: authOf(settings),
    endpoints: settings.endpoints,
    region: settings.region,
    cacheDir: options.cacheDir,
    // An action has one budget, its timeout: retry what is safe to retry (429, 5xx, resets,
    // timeouts) as long as it lasts, so a start rides out a short API outage instead of failing
    // after a fixed number of attempts. Backoff still doubles up to 4 s between attempts.
    retry: { maxAttempts: ACTION_MAX_ATTEMPTS },
    // The same for the metadata service (and, with `retry`, for federation): a metadata service
    // that fails for a few seconds delays a start instead of failing it.
    metadataRetry: { maxAttempts: ACTION_MAX_ATTEMPTS },
    sdkLog: (level, message) => log.debug(`oci sdk ${level}: ${message}`),
    // E.g. the one warning when the cache directory is refused (not private: nothing cached).
    log: (level, message) => (level === "warn" ? log.warn(message) : log.debug(message)),
  });
  const infos = new Map<string, VnicInfo>();
  const ref = (vnic: VnicFacts): VnicInfo =>
    infos.get(vnic.vnicId) ?? (vnic as unknown as VnicInfo);
  return {
    async selectVnic(selector, call) {
      const info = await client.selectVnic(selector, call);
      infos.set(info.vnicId, info);
      return {
        vnicId: info.vnicId,
        macAddress: info.macAddress,
        subnetCidr: info.subnetCidr,
        ipv6SubnetCidr: info.ipv6SubnetCidr,
      };
    },
    prefixLength: (ip, vnic, call) => client.prefixLength(ip, ref(vnic), call),
    async getAssignment(ip, vnic, call) {
      const found = await client.getAssignment(ip, { ...call, vnic: ref(vnic) });
      if (found?.vnicId === undefined) return undefined;
      return { vnicId: found.vnicId, isPrimary: found.isPrimary };
    },
    async assign(ip, vnic, call) {
      const { action } = await client.assign(ip, ref(vnic), call);
      return { outcome: action === "none" ? "unchanged" : action };
    },
    async release(ip, vnic, call) {
      const { action } = await client.release(ip, ref(vnic), call);
      return { released: action === "deleted" };
    },
    async prepare(ip, selector, call) {
      const ready = await client.prepare(ip, { ...call, vnic: selector });
      return { validUntil: ready.credentialsValidUntil };
    },
    // An IPv6-only VNIC has no primary private IPv4 (real metadata omits privateIp).
    primaryIps: async (call) =>
      (await client.listVnics(call)).flatMap((v) =>
        v.privateIp === undefined ? [] : [v.privateIp],
      ),
    requestCounts: () => ({ ...client.requestCounts() }),
  };
}
