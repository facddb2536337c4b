import { callOptions, type VipContext } from "./context.js";

/**
 * stop: always removes the local address (wherever it is). By default that is all: the private IP
 * stays assigned to our VNIC in OCI, and the next start (here or elsewhere) moves it, keeping its
 * OCID, so reserved public IPs and route rules bound to it follow the floating IP. With
 * `release_on_stop=true` it also deletes the IP in the cloud, only if it is still on our VNIC.
 * Succeeds when never started; never reports "not running". A cloud failure after the local
 * address is gone is logged, not fatal: the IP no longer answers here, and the next start on any
 * node moves it; failing the stop would get this node fenced for nothing.
 */
export async function stop(ctx: VipContext): Promise<void> {
  const { settings, local, log, signal } = ctx;
  for (const held of await local.findAddress(settings.ip, signal)) {
    await local.deleteAddress({ dev: held.dev, ip: settings.ip }, signal);
    log.info(`${settings.ip} removed from ${held.dev}`);
  }
  await ctx.state.remove();
  if (!settings.releaseOnStop) {
    log.info(
      `${settings.ip} left assigned in OCI (release_on_stop=false): the next start moves it, keeping its OCID`,
    );
    return;
  }
  try {
    const cloud = await ctx.cloud();
    const vnic = await cloud.selectVnic(settings.vnic, callOptions(ctx));
    const { released } = await cloud.release(settings.ip, vnic, callOptions(ctx));
    log.info(
      released
        ? `${settings.ip} released from VNIC ${vnic.vnicId}`
        : `${settings.ip} is not on VNIC ${vnic.vnicId} in the cloud: left as it is`,
    );
  } catch (error) {
    log.warn(
      `${settings.ip} is down on this node, but releasing it in the cloud failed (${(error as Error).message}); the next start moves it`,
    );
  }
}
