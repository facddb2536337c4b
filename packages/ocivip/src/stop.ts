import { callOptions, type VipContext, type VipLog } from "./context.js";
import type { LocalAddress, LocalNet } from "./ports.js";

/** Longest a stop waits for the VNICs' primary IPs before removing the address (cached: ~0 ms). */
const PRIMARY_LOOKUP_MS = 3000;

/** What stop needs to remove the local address, with or without valid parameters. */
export interface LocalRemoval {
  readonly ip: string;
  readonly local: LocalNet;
  readonly log: VipLog;
  readonly signal: AbortSignal;
  /** The device the resource's state records the address on, if it records one. */
  readonly stateDev: string | undefined;
  /** This instance's VNIC primary IPs, when known: never removed. */
  readonly primaryIps: readonly string[] | undefined;
}

/** Why `held` must stay, if it must: it is an address this agent did not add. */
function keepReason(r: LocalRemoval, held: LocalAddress): string | undefined {
  if (r.primaryIps?.includes(r.ip)) return "it is the primary private IP of this instance's VNIC";
  if (held.interfacePrimary && r.stateDev !== held.dev) {
    return `it is ${held.dev}'s own address (not secondary) and no start of this resource added it there`;
  }
  return undefined;
}

/**
 * Removes every local copy of the address except one the agent never added: a VNIC's primary IP
 * or an interface's own address. Returns false when one was left for that reason.
 */
export async function removeLocalAddress(r: LocalRemoval): Promise<boolean> {
  let removedAll = true;
  for (const held of await r.local.findAddress(r.ip, r.signal)) {
    const keep = keepReason(r, held);
    if (keep !== undefined) {
      r.log.warn(`${r.ip} on ${held.dev} is left in place: ${keep}`);
      removedAll = false;
      continue;
    }
    await r.local.deleteAddress({ dev: held.dev, ip: r.ip }, r.signal);
    r.log.info(`${r.ip} removed from ${held.dev}`);
  }
  return removedAll;
}

/**
 * stop: removes the local address (wherever it is, but never a VNIC's or interface's primary
 * address). By default that is all: the private IP stays assigned to our VNIC in OCI, and the
 * next start (here or elsewhere) moves it, keeping its OCID, so reserved public IPs and route
 * rules bound to it follow the floating IP. With `release_on_stop=true` it also deletes the IP in
 * the cloud, only if it is still on our VNIC. Succeeds when never started; never reports "not
 * running". A cloud failure after the local address is gone is logged, not fatal: the IP no
 * longer answers here, and the next start on any node moves it; failing the stop would get this
 * node fenced for nothing.
 */
export async function stop(ctx: VipContext): Promise<void> {
  const { settings, log, signal } = ctx;
  const cloud = await ctx.cloud().catch(() => undefined);
  // Bounded: with the metadata cached this costs nothing; without it, the address must still go.
  const lookup = { signal, deadline: Math.min(ctx.deadline, ctx.now() + PRIMARY_LOOKUP_MS) };
  const primaryIps = await cloud?.primaryIps(lookup).catch((error: unknown) => {
    log.debug(`stop: VNIC primary IPs unknown (${(error as Error).message})`);
    return undefined;
  });
  const state = await ctx.state.read().catch(() => undefined);
  await removeLocalAddress({
    ip: settings.ip,
    local: ctx.local,
    log,
    signal,
    stateDev: state?.dev,
    primaryIps,
  });
  await ctx.state.remove();
  if (primaryIps?.includes(settings.ip)) {
    log.warn(
      `${settings.ip} is a VNIC's primary IP: not released in the cloud (never a floating IP)`,
    );
    return;
  }
  if (!settings.releaseOnStop) {
    log.info(
      `${settings.ip} left assigned in OCI (release_on_stop=false): the next start moves it, keeping its OCID`,
    );
    return;
  }
  try {
    if (!cloud) throw new Error("the cloud side cannot be loaded");
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
