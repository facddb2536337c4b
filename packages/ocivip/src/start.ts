import { ConfigurationError, InstallationError } from "@ocfkit/ocf";
import { callOptions, type VipContext } from "./context.js";
import type { LocalNet, VnicFacts } from "./ports.js";
import { nextCloudCheckAt } from "./runtime/rules.js";
import { labelFor, type Settings } from "./settings.js";

/** The host device and prefix the address goes on. */
export interface Placement {
  readonly dev: string;
  readonly prefixLength: number;
}

/** Finds the device (explicit `interface`, else the one with the VNIC's MAC) and the prefix. */
export async function placeAddress(
  settings: Settings,
  local: LocalNet,
  vnic: VnicFacts,
  signal: AbortSignal,
  subnetPrefix: () => Promise<number>,
): Promise<Placement> {
  let dev = settings.dev;
  if (dev !== undefined) {
    if (!(await local.hasInterface(dev, signal))) {
      throw new InstallationError(
        `interface: no device named ${dev} on this node (VNIC ${vnic.vnicId} has MAC ${vnic.macAddress})`,
      );
    }
  } else {
    dev = await local.findInterfaceByMac(vnic.macAddress, signal);
    if (dev === undefined) {
      throw new InstallationError(
        `no interface on this node has MAC ${vnic.macAddress} of VNIC ${vnic.vnicId}: attach the VNIC, or set interface=`,
      );
    }
  }
  return { dev, prefixLength: settings.prefixLength ?? (await subnetPrefix()) };
}

/**
 * A VNIC's primary IP is never a floating IP: moving or deleting it is refused by OCI, and removing
 * it from the host cuts the node off. Checked against this instance's VNICs (metadata, cached).
 */
export async function refusePrimaryIp(ctx: VipContext): Promise<void> {
  const primaries = await (await ctx.cloud()).primaryIps(callOptions(ctx));
  if (primaries.includes(ctx.settings.ip)) {
    throw new ConfigurationError(
      `parameter "secondary_private_ip": ${ctx.settings.ip} is the primary private IP of one of this instance's VNICs; a floating IP must be a free secondary address`,
    );
  }
}

/**
 * start: assign (or move) the IP to our VNIC and wait until the API shows it, then add the local
 * address and announce it. Idempotent. On failure it undoes what it did: a local address it added
 * is removed, and an IP it created in the cloud is released (an IP it moved is left on our VNIC:
 * the stop Pacemaker runs next releases it, and a start elsewhere moves it anyway).
 */
export async function start(ctx: VipContext): Promise<void> {
  const { settings, local, log, signal } = ctx;
  const cloud = await ctx.cloud();
  await refusePrimaryIp(ctx);
  const vnic = await cloud.selectVnic(settings.vnic, callOptions(ctx));
  // While `ip` looks up the device and stray addresses, the cloud side gets ready (loads the SDK,
  // reads or renews the session): read-only; a failure here is met again, and reported, by assign.
  const ready = cloud.prepare(settings.ip, settings.vnic, callOptions(ctx)).catch(() => undefined);
  const placement = await placeAddress(settings, local, vnic, signal, () =>
    cloud.prefixLength(settings.ip, vnic, callOptions(ctx)),
  );
  await removeStray(ctx, placement);
  await ready;
  await ctx.state.write({ ip: settings.ip, ...placement, vnicId: vnic.vnicId, phase: "starting" });
  const { outcome } = await cloud.assign(settings.ip, vnic, callOptions(ctx));
  log.info(
    `${settings.ip} ${outcome === "unchanged" ? "already on" : `${outcome} on`} VNIC ${vnic.vnicId}`,
  );
  let added = false;
  try {
    const label = labelFor(settings, placement.dev);
    if (settings.labelSuffix !== undefined && settings.family === 4 && label === undefined) {
      log.warn(
        `label ${placement.dev}:${settings.labelSuffix} exceeds 15 characters: adding without a label`,
      );
    }
    ({ changed: added } = await local.addAddress(
      { dev: placement.dev, ip: settings.ip, prefixLength: placement.prefixLength, label },
      signal,
    ));
  } catch (error) {
    await rollBack(ctx, vnic, outcome === "created");
    throw error;
  }
  if (settings.announceCount > 0) {
    try {
      await local.announce(
        { dev: placement.dev, ip: settings.ip, count: settings.announceCount },
        signal,
      );
    } catch (error) {
      // OCI routes by VNIC assignment, not by ARP: a failed announcement only delays neighbours.
      log.warn(
        `announcing ${settings.ip} on ${placement.dev} failed: ${String((error as Error).message)}`,
      );
    }
  }
  const now = ctx.now();
  await ctx.state.write({
    ip: settings.ip,
    ...placement,
    vnicId: vnic.vnicId,
    phase: "started",
    lastCloudCheck: now,
    nextCloudCheck: nextCloudCheckAt(now, settings.cloudCheckIntervalSeconds),
  });
  log.info(
    `${settings.ip}/${placement.prefixLength} ${added ? "added to" : "already on"} ${placement.dev}`,
  );
}

/** The address elsewhere, or with another prefix, would conflict or answer there too: remove it. */
async function removeStray(ctx: VipContext, placement: Placement): Promise<void> {
  for (const held of await ctx.local.findAddress(ctx.settings.ip, ctx.signal)) {
    if (held.dev !== placement.dev || held.prefixLength !== placement.prefixLength) {
      const where = `${held.dev}/${held.prefixLength}`;
      ctx.log.warn(
        `${ctx.settings.ip} found on ${where}, not ${placement.dev}/${placement.prefixLength}: removing it there`,
      );
      await ctx.local.deleteAddress({ dev: held.dev, ip: ctx.settings.ip }, ctx.signal);
    }
  }
}

async function rollBack(ctx: VipContext, vnic: VnicFacts, created: boolean): Promise<void> {
  if (!created) return;
  try {
    const cloud = await ctx.cloud();
    await cloud.release(ctx.settings.ip, vnic, callOptions(ctx));
    ctx.log.info(`start failed: released ${ctx.settings.ip}, which this start had created`);
  } catch (error) {
    ctx.log.warn(
      `start failed and releasing ${ctx.settings.ip} failed too: ${(error as Error).message}`,
    );
  }
}

/**
 * reload: applies changed parameters to a running resource by running the idempotent start (the
 * address moves to the new device or prefix, the IP to the new VNIC). A stopped resource is left so.
 */
export async function reload(ctx: VipContext): Promise<void> {
  if ((await ctx.local.findAddress(ctx.settings.ip, ctx.signal)).length === 0) {
    ctx.log.info(`reload: ${ctx.settings.ip} is not configured here: nothing to apply`);
    return;
  }
  await start(ctx);
}
