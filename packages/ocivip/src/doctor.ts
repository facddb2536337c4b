import { access, constants, mkdir } from "node:fs/promises";
import type { CloudNet, LocalNet, VnicFacts } from "./ports.js";
import type { Settings } from "./settings.js";
import { placeAddress } from "./start.js";

/** One line of the doctor's report. */
export interface DoctorCheck {
  /** What was checked, in plain words. */
  readonly name: string;
  readonly status: "ok" | "warn" | "fail";
  /** What was found. */
  readonly detail: string;
  /** What to do about it (for warn and fail). */
  readonly fix?: string;
}

/** What the doctor needs: parsed settings (or why they are invalid) and the two sides. */
export interface DoctorOptions {
  readonly settings: Settings | Error;
  readonly local: LocalNet;
  readonly cloud: () => Promise<CloudNet>;
  /** HA_RSCTMP. */
  readonly rscTmp: string;
  readonly timeoutMs?: number;
  /** Called with each check as soon as it completes (the CLI prints it then). */
  readonly onCheck?: (check: DoctorCheck) => void;
}

const SBIN = ["/usr/sbin", "/sbin", "/usr/bin", "/bin", "/usr/libexec/heartbeat"];

async function findTool(name: string): Promise<string | undefined> {
  for (const dir of SBIN) {
    try {
      await access(`${dir}/${name}`, constants.X_OK);
      return `${dir}/${name}`;
    } catch {
      // try the next directory
    }
  }
  return undefined;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === "string" ? code : undefined;
}

const cloudFixes: Record<string, string> = {
  METADATA_UNAVAILABLE:
    "the instance metadata service (v2) does not answer: run this on the OCI instance itself, check metadata_endpoint, and that IMDS v1-only mode is off",
  FEDERATION_FAILED:
    "the instance principal certificate was not exchanged for a session: check the federation endpoint (federation_endpoint, region) and that the instance's clock is right",
  NOT_AUTHENTICATED:
    "OCI rejected the request signature: check the instance's clock; with auth=config_file check the key, fingerprint and user in the config file",
  NOT_AUTHORIZED_OR_NOT_FOUND:
    "the IAM policy does not let this node manage private IPs; add a dynamic group matching the instances and the policy statement shown",
  SERVICE_UNAVAILABLE:
    "the VirtualNetwork API is unreachable or failing: check api_endpoint/region, the route to OCI services (service gateway or NAT) and try again",
  THROTTLED: "OCI throttled the request: wait and run the doctor again",
  VNIC_NOT_FOUND:
    "no VNIC of this instance is in a subnet containing the IP: attach a VNIC in that subnet, or choose vnic_id / mac / nic_index",
  VNIC_AMBIGUOUS: "several VNICs match: choose one with vnic_id, mac or nic_index",
};

/**
 * Checks, in plain words, everything a node needs to run `ocivip`, and says what to fix. Runs the
 * same code paths as the agent (metadata, session, one read of the IP's assignment); changes nothing.
 */
export async function runDoctor(options: DoctorOptions): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const add = (check: DoctorCheck): void => {
    checks.push(check);
    options.onCheck?.(check);
  };
  add(
    process.getuid?.() === 0
      ? { name: "running as root", status: "ok", detail: "yes" }
      : {
          name: "running as root",
          status: "fail",
          detail: "no",
          fix: "run the agent and the doctor as root (Pacemaker does)",
        },
  );
  const ip = await findTool("ip");
  add(
    ip
      ? { name: "ip (iproute2)", status: "ok", detail: ip }
      : {
          name: "ip (iproute2)",
          status: "fail",
          detail: "not found",
          fix: "apt-get install iproute2",
        },
  );
  const arping = (await findTool("send_arp")) ?? (await findTool("arping"));
  add(
    arping
      ? { name: "gratuitous ARP sender (send_arp or arping)", status: "ok", detail: arping }
      : {
          name: "gratuitous ARP sender (send_arp or arping)",
          status: "warn",
          detail: "neither found",
          fix: "apt-get install iputils-arping (or resource-agents for send_arp); or set announce_count=0",
        },
  );
  for (const [tool, pkg] of [
    ["corosync", "corosync"],
    ["pacemakerd", "pacemaker"],
  ] as const) {
    const path = await findTool(tool);
    add(
      path
        ? { name: `${tool} installed`, status: "ok", detail: path }
        : {
            name: `${tool} installed`,
            status: "fail",
            detail: "not found",
            fix: `apt-get install ${pkg}`,
          },
    );
  }
  try {
    await mkdir(options.rscTmp, { recursive: true });
    await access(options.rscTmp, constants.W_OK);
    add({
      name: "state directory (HA_RSCTMP)",
      status: "ok",
      detail: `${options.rscTmp} is writable`,
    });
  } catch (error) {
    add({
      name: "state directory (HA_RSCTMP)",
      status: "fail",
      detail: errorText(error),
      fix: `make ${options.rscTmp} a writable directory`,
    });
  }
  if (options.settings instanceof Error) {
    add({
      name: "parameters",
      status: "fail",
      detail: options.settings.message,
      fix: "fix the parameter named above",
    });
    return checks;
  }
  const settings = options.settings;
  add({
    name: "parameters",
    status: "ok",
    detail: `secondary_private_ip=${settings.ip}, auth=${settings.auth.kind}`,
  });
  await cloudChecks(options, settings, add);
  return checks;
}

async function cloudChecks(
  options: DoctorOptions,
  settings: Settings,
  add: (check: DoctorCheck) => void,
): Promise<void> {
  const signal = AbortSignal.timeout(options.timeoutMs ?? 20_000);
  const call = { signal, deadline: Date.now() + (options.timeoutMs ?? 20_000) };
  const fail = (name: string, error: unknown, fix?: string): void => {
    const code = errorCode(error);
    add({
      name,
      status: "fail",
      detail: errorText(error),
      fix: fix ?? (code ? cloudFixes[code] : undefined) ?? "see the message above",
    });
  };
  let cloud: CloudNet;
  try {
    cloud = await options.cloud();
  } catch (error) {
    fail(
      "OCI SDK loads",
      error,
      "reinstall @ocfkit/ocivip: its cloud side (dist/cloud.cjs, with the OCI SDK parts bundled in) did not load",
    );
    return;
  }
  let vnic: VnicFacts;
  try {
    vnic = await cloud.selectVnic(settings.vnic, call);
    add({
      name: "metadata service v2 and our VNIC",
      status: "ok",
      detail: `VNIC ${vnic.vnicId} (MAC ${vnic.macAddress}, subnet ${vnic.subnetCidr ?? "?"})`,
    });
  } catch (error) {
    fail("metadata service v2 and our VNIC", error);
    return;
  }
  try {
    const placement = await placeAddress(settings, options.local, vnic, signal, () =>
      cloud.prefixLength(settings.ip, vnic, call),
    );
    add({
      name: "host interface for the VNIC",
      status: "ok",
      detail: `${placement.dev}, address would be ${settings.ip}/${placement.prefixLength}`,
    });
  } catch (error) {
    fail(
      "host interface for the VNIC",
      error,
      "attach the VNIC to the instance (and bring its interface up), or set interface=",
    );
  }
  try {
    const assignment = await cloud.getAssignment(settings.ip, vnic, call);
    const where =
      assignment === undefined
        ? "assigned to no VNIC"
        : assignment.vnicId === vnic.vnicId
          ? "on our VNIC"
          : `on VNIC ${assignment.vnicId}`;
    add({
      name: "session (instance principal certificate + federation), API reachable, IAM allows listing private IPs",
      status: "ok",
      detail: `${settings.ip} is ${where}`,
    });
    add({
      name: "IAM allows creating and moving private IPs",
      status: "warn",
      detail: "not testable without changing the IP: OCI has no dry run",
      fix: "make sure a policy says: Allow dynamic-group <your group> to use virtual-network-family in compartment <yours>",
    });
  } catch (error) {
    fail(
      "session (instance principal certificate + federation), API reachable, IAM allows listing private IPs",
      error,
    );
  }
}

/** Renders one check as the lines a person reads (with its fix, if any). */
export function formatDoctorCheck(check: DoctorCheck): string {
  const mark = check.status === "ok" ? "ok  " : check.status === "warn" ? "WARN" : "FAIL";
  return `${mark}  ${check.name}: ${check.detail}${check.fix ? `\n      fix: ${check.fix}` : ""}\n`;
}

/** The report's last line: all passed, or how many problems. */
export function formatDoctorSummary(checks: readonly DoctorCheck[]): string {
  const problems = checks.filter((c) => c.status === "fail").length;
  return problems === 0 ? "all required checks passed\n" : `${problems} problem(s) to fix\n`;
}

/** Renders the report as lines a person reads. */
export function formatDoctorReport(checks: readonly DoctorCheck[]): string {
  return checks.map(formatDoctorCheck).join("") + formatDoctorSummary(checks);
}
