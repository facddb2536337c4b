import { execFileSync } from "node:child_process";

// The system tools our tests drive for real. A missing one fails the run with the install line,
// never a silent skip (CI=true or not).
const requiredTools: Record<string, string> = {
  ip: "iproute2",
  arping: "iputils-arping",
  xmllint: "libxml2-utils",
  corosync: "corosync",
  pacemakerd: "pacemaker",
  crm_resource: "pacemaker-cli-utils",
  "ocf-tester": "resource-agents",
  pcs: "pcs",
  unshare: "util-linux",
  nsenter: "util-linux",
};

function hasTool(tool: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${tool} || test -x /usr/sbin/${tool}`], {
      stdio: "ignore",
    });
    return true;
  } catch {
    return false;
  }
}

/** Refuses to run the suite on a machine that lacks what the tests need. */
export function setup(): void {
  const missing = Object.entries(requiredTools).filter(([tool]) => !hasTool(tool));
  if (missing.length > 0) {
    const pkgs = [...new Set(missing.map(([, pkg]) => pkg))].join(" ");
    throw new Error(
      `missing system tools: ${missing.map(([t]) => t).join(", ")}. Install them first: ` +
        `apt-get install -y ${pkgs} (or run: bash scripts/setup.sh)`,
    );
  }
  if (process.getuid?.() !== 0) {
    throw new Error("the tests create network namespaces and start Pacemaker: run them as root");
  }
}
