import { spawnSync } from "node:child_process";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestNetns } from "./netns.js";

/** The shell agent `resource-agents` installs: the baseline we must beat (never modified). */
export const UPSTREAM_AGENT = "/usr/lib/ocf/resource.d/heartbeat/ocivip";

// A fake `oci` CLI answering instantly from files, as the emulator would: ips/<ip> holds the OCID
// of the VNIC the IP is assigned to; a file named `fail` makes every call fail like an API error.
const FAKE_OCI = `#!/bin/sh
S="$FAKE_OCI_STATE"
echo "$*" >> "$S/calls"
echo "OCI_CLI_AUTH=$OCI_CLI_AUTH" > "$S/env"
if [ -f "$S/fail" ]; then echo "ServiceError: {\\"status\\": 500, \\"code\\": \\"InternalError\\"}" >&2; exit 1; fi
vnic=""; ip=""; cmd="$1 $2 $3"
while [ $# -gt 0 ]; do
  case "$1" in --vnic-id) vnic="$2"; shift;; --ip-address) ip="$2"; shift;; esac
  shift
done
case "$cmd" in
  "network vnic assign-private-ip") printf %s "$vnic" > "$S/ips/$ip"; echo "{\\"data\\": {\\"ip-address\\": \\"$ip\\", \\"vnic-id\\": \\"$vnic\\"}}";;
  "network vnic unassign-private-ip")
    if [ "$(cat "$S/ips/$ip" 2>/dev/null)" = "$vnic" ]; then rm -f "$S/ips/$ip"; echo "Unassigned"; else echo "ServiceError: not assigned to this VNIC" >&2; exit 1; fi;;
  "network private-ip list")
    printf '{"data": ['; sep=""
    for f in "$S/ips/"*; do
      [ -f "$f" ] || continue
      if [ "$(cat "$f")" = "$vnic" ]; then printf '%s{"ip-address": "%s", "vnic-id": "%s"}' "$sep" "$(basename "$f")" "$vnic"; sep=", "; fi
    done
    echo ']}';;
  *) echo "fake oci: unsupported: $cmd" >&2; exit 2;;
esac
`;

// Shadows curl: upstream fetches the VNIC list from 169.254.169.254 unconditionally, with no timeout.
const FAKE_CURL = `#!/bin/sh
echo "$*" >> "$FAKE_OCI_STATE/curl-calls"
if [ -f "$FAKE_OCI_STATE/curl-hang" ]; then exec sleep 3600; fi
cat "$FAKE_OCI_STATE/vnics.json"
`;

/** One VNIC as the metadata service's /opc/v2/vnics/ lists it. */
export interface FakeVnic {
  vnicId: string;
  macAddr: string;
  privateIp: string;
  subnetCidrBlock: string;
}

/** A fake-CLI world for the upstream agent: VNICs, assignments, failure switch, call log. */
export interface UpstreamWorld {
  readonly dir: string;
  readonly ocicli: string;
  assign(ip: string, vnicId: string): void;
  unassign(ip: string): void;
  assignments(): Record<string, string>;
  setFailing(failing: boolean): void;
  /** Makes the metadata request (curl) hang, as an unresponsive metadata service would. */
  setMetadataHanging(hanging: boolean): void;
  calls(): string[];
  /** Environment variables the fake CLI saw on its last call (OCI_CLI_AUTH). */
  env(): Record<string, string>;
  remove(): void;
}

/** Creates the fake CLI, curl shim and state; the VNIC list is what the agent's curl gets. */
export function createUpstreamWorld(vnics: FakeVnic[]): UpstreamWorld {
  const dir = mkdtempSync(join(tmpdir(), "ocfk-upstream-"));
  mkdirSync(join(dir, "ips"));
  mkdirSync(join(dir, "bin"));
  const ocicli = join(dir, "bin", "oci");
  writeFileSync(ocicli, FAKE_OCI);
  writeFileSync(join(dir, "bin", "curl"), FAKE_CURL);
  chmodSync(ocicli, 0o755);
  chmodSync(join(dir, "bin", "curl"), 0o755);
  writeFileSync(join(dir, "vnics.json"), JSON.stringify(vnics));
  writeFileSync(join(dir, "calls"), "");
  return {
    dir,
    ocicli,
    assign: (ip, vnicId) => writeFileSync(join(dir, "ips", ip), vnicId),
    unassign: (ip) => rmSync(join(dir, "ips", ip), { force: true }),
    assignments: () =>
      Object.fromEntries(
        readdirSync(join(dir, "ips")).map((ip) => [ip, readFileSync(join(dir, "ips", ip), "utf8")]),
      ),
    setFailing: (failing) =>
      failing ? writeFileSync(join(dir, "fail"), "") : rmSync(join(dir, "fail"), { force: true }),
    setMetadataHanging: (hanging) =>
      hanging
        ? writeFileSync(join(dir, "curl-hang"), "")
        : rmSync(join(dir, "curl-hang"), { force: true }),
    calls: () => readFileSync(join(dir, "calls"), "utf8").split("\n").filter(Boolean),
    env: () =>
      Object.fromEntries(
        readFileSync(join(dir, "env"), "utf8")
          .split("\n")
          .filter(Boolean)
          .map((line) => line.split("=", 2) as [string, string]),
      ),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** What one agent action returned. */
export interface ActionResult {
  status: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * Runs the upstream agent inside `ns` (only loopback and dummy interfaces) with the curl shim first
 * on PATH: even if the shim were bypassed, 169.254.169.254 is unreachable from there.
 */
export function runUpstream(
  world: UpstreamWorld,
  ns: TestNetns,
  action: string,
  params: Record<string, string>,
  timeoutMs = 60_000,
): ActionResult {
  const env: Record<string, string> = {
    PATH: `${join(world.dir, "bin")}:/usr/sbin:/usr/bin:/sbin:/bin`,
    OCF_ROOT: "/usr/lib/ocf",
    OCF_RESOURCE_INSTANCE: "vip",
    OCF_RESKEY_ocicli: world.ocicli,
    HA_RSCTMP: world.dir,
    HA_LOGFACILITY: "none",
    HA_debug: "0",
    FAKE_OCI_STATE: world.dir,
  };
  for (const [k, v] of Object.entries(params)) env[`OCF_RESKEY_${k}`] = v;
  const started = performance.now();
  const res = spawnSync(
    "ip",
    [
      "netns",
      "exec",
      ns.name,
      "env",
      "-i",
      ...Object.entries(env).map(([k, v]) => `${k}=${v}`),
      UPSTREAM_AGENT,
      action,
    ],
    { encoding: "utf8", timeout: timeoutMs, killSignal: "SIGKILL" },
  );
  return {
    status: res.status ?? -1,
    stdout: res.stdout,
    stderr: res.stderr,
    ms: performance.now() - started,
  };
}
