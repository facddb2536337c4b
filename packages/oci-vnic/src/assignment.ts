import { type Deadline, sleep } from "./deadline.js";
import { isOciVnicError, OciVnicError } from "./errors.js";
import type { IpAddress } from "./ip.js";
import type { IpOps, IpRecord } from "./ip-ops.js";

/** Who holds an IP, as the API reports it. */
export interface Assignment {
  /** The address, canonical form. */
  ip: string;
  /** 4 or 6. */
  family: 4 | 6;
  /** OCID of the private IP (IPv4) or IPv6 object. */
  id: string;
  /** VNIC holding it; undefined for a reserved IP not assigned to any VNIC. */
  vnicId: string | undefined;
  /** Subnet OCID. */
  subnetId: string;
  /** True when it is a VNIC's primary IP (never moved or deleted by this package). */
  isPrimary: boolean;
}

/** What `assign` did. */
export interface AssignResult {
  /** `created` on our VNIC, `moved` from another VNIC, or `none` (it was already ours). */
  action: "created" | "moved" | "none";
  /** The VNIC that held it before a move. */
  previousVnicId: string | undefined;
  /** The confirmed assignment (visible to reads). */
  assignment: Assignment;
}

/** What `release` did. */
export interface ReleaseResult {
  /** `deleted` from our VNIC, `not-ours` (held elsewhere: left alone), or `none` (not assigned). */
  action: "deleted" | "not-ours" | "none";
  /** For `not-ours`: the VNIC holding it. */
  heldBy: string | undefined;
}

/** Polling of eventually consistent reads: starts fast, backs off, stops at the deadline. */
export const confirmPollMs = { first: 100, max: 1000 } as const;
// Rounds of read-decide-write; pauses double up to 1 s, so about 5 s of churn at most.
const maxRounds = 8;

function toAssignment(ip: IpAddress, record: IpRecord): Assignment {
  return {
    ip: ip.address,
    family: ip.family,
    id: record.id,
    vnicId: record.vnicId,
    subnetId: record.subnetId,
    isPrimary: record.isPrimary,
  };
}

function refusePrimary(ip: IpAddress, record: IpRecord, verb: string): never {
  throw new OciVnicError(
    "CONFLICT",
    `${ip.address} is the primary IP of VNIC ${record.vnicId}; refusing to ${verb} it ` +
      "(choose a free secondary address for the floating IP)",
  );
}

/**
 * Errors after which the state may have changed under us: read again, then decide. A 404 counts
 * only for calls on an existing object (it may have just been deleted or moved), not for a create,
 * where it means a missing permission.
 */
function worthRereading(e: unknown, onExistingObject: boolean): boolean {
  if (isOciVnicError(e, "NOT_AUTHORIZED_OR_NOT_FOUND")) return onExistingObject;
  return isOciVnicError(e, "SERVICE_UNAVAILABLE", "CONFLICT");
}

async function pause(deadline: Deadline, round: number, operation: string): Promise<void> {
  const ms = Math.min(confirmPollMs.max, confirmPollMs.first * 2 ** round);
  if (ms >= deadline.remaining()) {
    throw new OciVnicError("TIMEOUT", `${operation} could not converge before its deadline`, {
      operation,
    });
  }
  await sleep(ms, deadline, operation);
}

/** Reads until `accept(record)` holds (eventual consistency), or throws TIMEOUT at the deadline. */
async function confirm(
  ops: IpOps,
  deadline: Deadline,
  ip: IpAddress,
  subnetId: string,
  accept: (r: IpRecord | undefined) => boolean,
  what: string,
): Promise<IpRecord | undefined> {
  for (let round = 0; ; round++) {
    const seen = await ops.find(deadline, ip, subnetId);
    if (accept(seen)) return seen;
    const ms = Math.min(confirmPollMs.max, confirmPollMs.first * 2 ** round);
    if (ms >= deadline.remaining()) {
      throw new OciVnicError(
        "TIMEOUT",
        `${what} of ${ip.address} was accepted but is not yet visible; gave up at the deadline`,
        { operation: "Confirm" },
      );
    }
    await sleep(ms, deadline, "Confirm");
  }
}

/** Makes `ip` assigned to `vnicId`: create, or move from another VNIC; then confirm it is visible. */
export async function assignIp(
  ops: IpOps,
  deadline: Deadline,
  ip: IpAddress,
  vnicId: string,
  subnetId: string,
): Promise<AssignResult> {
  let action: AssignResult["action"] = "none";
  let previousVnicId: string | undefined;
  for (let round = 0; round < maxRounds; round++) {
    const current = await ops.find(deadline, ip, subnetId);
    // Before anything else: a primary IP is never a floating IP, not even our own VNIC's.
    if (current?.isPrimary) {
      refusePrimary(ip, current, current.vnicId === vnicId ? "use as a floating IP" : "move");
    }
    if (current?.vnicId === vnicId) {
      return { action, previousVnicId, assignment: toAssignment(ip, current) };
    }
    // Set before writing: a write that fails with an unknown outcome may still have happened.
    action = current ? "moved" : "created";
    previousVnicId = current?.vnicId;
    try {
      if (current) await ops.move(deadline, current.id, vnicId);
      else await ops.create(deadline, ip, vnicId);
    } catch (e) {
      // A write whose outcome is unknown, or that raced another writer: look again.
      if (!worthRereading(e, current !== undefined) || round + 1 >= maxRounds) throw e;
      await pause(deadline, round, "assign");
      continue;
    }
    const seen = await confirm(
      ops,
      deadline,
      ip,
      subnetId,
      (r) => r?.vnicId === vnicId || (r !== undefined && r.vnicId !== previousVnicId),
      action === "moved" ? "the move" : "the creation",
    );
    if (seen?.vnicId === vnicId) {
      return { action, previousVnicId, assignment: toAssignment(ip, seen) };
    }
    // Someone else took it meanwhile: decide again from what we see now.
  }
  throw new OciVnicError(
    "CONFLICT",
    `${ip.address} kept changing hands while assigning it to ${vnicId}; another node is assigning it too`,
  );
}

/** Deletes `ip` only while it is on `vnicId`; never touches another VNIC's IP. */
export async function releaseIp(
  ops: IpOps,
  deadline: Deadline,
  ip: IpAddress,
  vnicId: string,
  subnetId: string,
): Promise<ReleaseResult> {
  for (let round = 0; round < maxRounds; round++) {
    const current = await ops.find(deadline, ip, subnetId);
    if (!current) return { action: round === 0 ? "none" : "deleted", heldBy: undefined };
    if (current.vnicId !== vnicId) {
      return { action: "not-ours", heldBy: current.vnicId };
    }
    if (current.isPrimary) refusePrimary(ip, current, "delete");
    try {
      // The etag makes the delete conditional: if it moved since we looked, the service refuses.
      const { record, etag } = await ops.get(deadline, current.id);
      if (record.vnicId !== vnicId) continue;
      await ops.remove(deadline, current.id, etag);
    } catch (e) {
      if (!worthRereading(e, true) || round + 1 >= maxRounds) throw e;
      await pause(deadline, round, "release");
      continue;
    }
    await confirm(ops, deadline, ip, subnetId, (r) => r?.vnicId !== vnicId, "the deletion");
    return { action: "deleted", heldBy: undefined };
  }
  throw new OciVnicError("CONFLICT", `${ip.address} kept changing while releasing it`);
}
