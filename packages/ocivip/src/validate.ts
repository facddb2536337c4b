import { ConfigurationError } from "@ocfkit/ocf";
import { callOptions, type VipContext } from "./context.js";
import { placeAddress, refusePrimaryIp } from "./start.js";

/**
 * validate-all: the parameters (already checked when the context was built), then what this node
 * must have: a VNIC for the IP (from the metadata service, cached per boot), its subnet's prefix
 * and a host interface for it. Changes nothing.
 */
export async function validateAll(ctx: VipContext): Promise<void> {
  const { settings, log } = ctx;
  const cloud = await ctx.cloud();
  await refusePrimaryIp(ctx);
  const vnic = await cloud.selectVnic(settings.vnic, callOptions(ctx));
  // Another instance's primary IP: only the API knows (one request; its failure is not ours to report).
  const held = await cloud
    .getAssignment(settings.ip, vnic, callOptions(ctx))
    .catch(() => undefined);
  if (held?.isPrimary) {
    throw new ConfigurationError(
      `parameter "secondary_private_ip": ${settings.ip} is the primary private IP of VNIC ${held.vnicId}; a floating IP must be a free secondary address`,
    );
  }
  const subnetPrefix = await cloud.prefixLength(settings.ip, vnic, callOptions(ctx));
  const placement = await placeAddress(
    settings,
    ctx.local,
    vnic,
    ctx.signal,
    async () => subnetPrefix,
  );
  if (settings.prefixLength !== undefined && settings.prefixLength !== subnetPrefix) {
    log.warn(
      `cidr_netmask=${settings.prefixLength} differs from the subnet's prefix /${subnetPrefix}`,
    );
  }
  log.info(
    `${settings.ip} would go on VNIC ${vnic.vnicId} and ${placement.dev}/${placement.prefixLength}`,
  );
}
