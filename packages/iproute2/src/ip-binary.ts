import { existsSync } from "node:fs";

// Pacemaker runs agents with a minimal PATH: look in the sbin directories first.
const IP_CANDIDATES = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"];

/** The `ip` binary: the first of /usr/sbin/ip, /sbin/ip, /usr/bin/ip, /bin/ip that exists, else `ip`. */
export function locateIp(): string {
  return IP_CANDIDATES.find((path) => existsSync(path)) ?? "ip";
}
