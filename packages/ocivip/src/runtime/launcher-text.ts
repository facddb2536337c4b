// The launcher `ocivip install` writes (rendered by install.ts): a standalone CommonJS script, so
// that it still works when the package it points at is gone (uninstalled, moved, a failed
// upgrade). Then `stop` removes the floating address with `ip` itself and succeeds, since a
// failed stop gets the node fenced; every other action fails with OCF_ERR_INSTALLED (5) and the
// reason. Only Node built-ins; the `ip` lookup mirrors @ocfkit/iproute2's locateIp.

/** The line every launcher `ocivip install` writes carries: what `ocivip uninstall` looks for. */
export const LAUNCHER_MARKER = "// ocfkit ocivip launcher, written by `ocivip install`.";

const FALLBACK = String.raw`function missingPackage(entry, error) {
  const say = (line) => process.stderr.write(line + "\n");
  const why = "the ocivip package at " + entry + " cannot be loaded (" +
    String((error && error.message) || error).split("\n")[0] + ")";
  if (process.argv[2] !== "stop") {
    say("ocf-exit-reason:" + why + ": reinstall it (npm install -g @ocfkit/ocivip, then ocivip install)");
    return 5;
  }
  const { spawnSync } = require("node:child_process");
  const { existsSync } = require("node:fs");
  const { isIP } = require("node:net");
  const raw = (process.env.OCF_RESKEY_secondary_private_ip || "").trim();
  const family = isIP(raw);
  if (family === 0) {
    say("ocivip stop: " + why + "; secondary_private_ip " + JSON.stringify(raw) + " is no IP address: nothing to remove");
    return 0;
  }
  // ip -json prints IPv6 compressed and in lower case, as the URL parser does.
  const ip = family === 6 ? new URL("http://[" + raw + "]/").hostname.slice(1, -1) : raw;
  const only = (process.env.OCF_RESKEY_interface || "").trim();
  const bin = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"].find((p) => existsSync(p)) || "ip";
  const run = (args) => spawnSync(bin, args, { encoding: "utf8", timeout: 10000 });
  const listing = run(["-json", family === 6 ? "-6" : "-4", "addr", "show"]);
  let links;
  try {
    if (listing.status !== 0) throw new Error(String(listing.stderr || listing.error).trim());
    links = JSON.parse(listing.stdout || "[]");
  } catch (e) {
    say("ocf-exit-reason:ocivip stop: " + why + ", and listing addresses failed: " + e.message);
    return 1;
  }
  const done = [];
  const refused = [];
  for (const link of links) {
    if (only !== "" && link.ifname !== only) continue;
    const infos = (link.addr_info || []).filter((a) => a && a.family === (family === 6 ? "inet6" : "inet"));
    infos.forEach((a, index) => {
      if (a.local !== ip) return;
      // Never an interface's own (primary) address: IPv4 secondary or not first, IPv6 added nodad.
      const secondary = family === 4 ? a.secondary === true || index > 0 : a.nodad === true;
      const where = ip + "/" + a.prefixlen + " on " + link.ifname;
      if (!secondary) return refused.push(where + " (the interface's primary address)");
      const del = run(["addr", "del", ip + "/" + a.prefixlen, "dev", link.ifname]);
      if (del.status === 0) done.push(where);
      else refused.push(where + " (" + String(del.stderr || del.error).trim() + ")");
    });
  }
  if (refused.length > 0) {
    say("ocf-exit-reason:ocivip stop: " + why + "; cannot remove " + refused.join(", "));
    return 1;
  }
  say("ocivip stop: " + why + "; " + (done.length > 0 ? "removed " + done.join(", ") + " with ip" : ip + " is not configured on this node") +
    "; the cloud assignment is left as it is (the next start on any node moves it)");
  return 0;
}`;

/** The launcher text: CommonJS (it has no extension and no package.json), absolute paths only. */
export function launcherText(nodePath: string, entry: string): string {
  return [
    `#!${nodePath}`,
    LAUNCHER_MARKER,
    "// Pacemaker runs agents with a minimal PATH, so the node binary above and the agent below",
    "// are absolute paths recorded at install.",
    '"use strict";',
    `const entry = ${JSON.stringify(entry)};`,
    "let agent;",
    "try {",
    "  agent = require(entry);",
    "} catch (error) {",
    "  process.exit(missingPackage(entry, error));",
    "}",
    "agent.launch(process.argv.slice(2)).then((status) => process.exit(status));",
    FALLBACK,
    "",
  ].join("\n");
}
