import { GenericError, NotRunningError } from "@ocfkit/ocf";
import { callOptions, type VipContext } from "./context.js";
import { cloudCheckDue, nextCloudCheckAt } from "./runtime/rules.js";

/**
 * monitor: the local address must be present (else "not running", with no API call, so probes are
 * instant); then, when due, one API request checks that the cloud has the IP on our VNIC. A cloud
 * answer that it is elsewhere is a failure with the reason; an API or auth error is an error (1),
 * never "not running".
 */
export async function monitor(ctx: VipContext): Promise<void> {
  const { settings, local, signal } = ctx;
  const held = await local.findAddress(settings.ip, signal);
  if (held.length === 0) throw new NotRunningError(`${settings.ip} is not configured on this node`);
  const state = await ctx.state.read();
  const expectedDev = settings.dev ?? state?.dev;
  if (expectedDev !== undefined && !held.some((a) => a.dev === expectedDev)) {
    const where = held.map((a) => a.dev).join(", ");
    throw new GenericError(`${settings.ip} is on ${where}, expected on ${expectedDev}`);
  }
  if (!cloudCheckDue(state, ctx.now(), ctx.depth, settings.cloudCheckIntervalSeconds)) return;
  const cloud = await ctx.cloud();
  const vnic = await cloud.selectVnic(settings.vnic, callOptions(ctx));
  const assignment = await cloud.getAssignment(settings.ip, vnic, callOptions(ctx));
  if (assignment === undefined) {
    throw new GenericError(
      `${settings.ip} is configured here but assigned to no VNIC in the cloud`,
    );
  }
  if (assignment.vnicId !== vnic.vnicId) {
    throw new GenericError(
      `${settings.ip} is configured here but the cloud has it on VNIC ${assignment.vnicId}, not ours (${vnic.vnicId}): another node holds it`,
    );
  }
  const now = ctx.now();
  await ctx.state.write({
    ip: settings.ip,
    dev: state?.dev ?? held[0]!.dev,
    prefixLength: state?.prefixLength ?? held[0]!.prefixLength,
    vnicId: vnic.vnicId,
    phase: "started",
    lastCloudCheck: now,
    nextCloudCheck: nextCloudCheckAt(now, settings.cloudCheckIntervalSeconds),
  });
}
