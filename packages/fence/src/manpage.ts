import type { FenceAgent } from "./agent.js";
import { type FenceOptionSpecs, fenceActions, getoptText } from "./options.js";

const actionText: Record<(typeof fenceActions)[number], string> = {
  on: "Power on the target.",
  off: "Power off the target (hard, immediate).",
  reboot: "Power off, then on (or one power cycle with method=cycle). This is the default action.",
  status: "Print the power state; exit 0 when on, 2 when off, 1 on error.",
  list: "List the plugs the device can fence, one per line: plug<separator>alias.",
  "list-status": "List the plugs with their power state: plug,alias,ON|OFF|UNKNOWN.",
  monitor: "Check that the device answers.",
  metadata: "Print the XML metadata Pacemaker reads.",
  manpage: "Print this manual page (roff).",
  "validate-all": "Check the options; change nothing.",
};

/** Escapes text for roff: backslashes, and a leading dot or quote. */
function roff(text: string): string {
  return text
    .replace(/\\/g, "\\e")
    .replace(/^([.'])/gm, "\\&$1")
    .replace(/-/g, "\\-");
}

/**
 * Renders the agent's manual page in man(7) roff, as `fence_x -o manpage` prints it (install it as
 * `/usr/share/man/man8/fence_x.8`).
 */
export function renderFenceManpage<S extends FenceOptionSpecs, C>(
  agent: FenceAgent<S, C>,
  date = new Date(),
): string {
  const def = agent.definition;
  const day = date.toISOString().slice(0, 10);
  const lines = [
    `.TH ${def.name.toUpperCase()} 8 ${day} "${roff(def.name)} ${roff(def.version)}" "System Manager's Manual"`,
    ".SH NAME",
    `${roff(def.name)} \\- ${roff(def.shortdesc)}`,
    ".SH SYNOPSIS",
    `\\fB${roff(def.name)}\\fR [\\fIOPTION\\fR]...`,
    ".SH DESCRIPTION",
    roff(def.longdesc ?? def.shortdesc),
    ".PP",
    `${roff(def.name)} accepts options on the command line or, with no command-line arguments, as name=value lines on stdin (as Pacemaker's fencer passes them).`,
    ...(def.vendorUrl ? [".PP", `Vendor URL: ${roff(def.vendorUrl)}`] : []),
    ".SH PARAMETERS",
  ];
  for (const [name, spec] of Object.entries(agent.specs)) {
    const def = spec.default === undefined ? "" : ` (Default Value: ${String(spec.default)})`;
    lines.push(".TP", `\\fB${roff(getoptText(name, spec))}\\fP`);
    lines.push(
      `${roff(spec.shortdesc)}${roff(def)}. This parameter is always ${spec.required ? "required" : "optional"}.`,
    );
    if (spec.longdesc) lines.push(roff(spec.longdesc));
    const names = [name, ...(spec.aliases ?? [])].join(" | ");
    lines.push(`On stdin: ${roff(names)}=value.`);
  }
  lines.push(".SH ACTIONS");
  for (const action of fenceActions)
    lines.push(".TP", `\\fB${roff(action)}\\fP`, roff(actionText[action]));
  lines.push(
    ".SH EXIT STATUS",
    "0 success (status: on); 2 status: off; 1 error; 2 bad options; 6/7 target did not reach on/off in time.",
  );
  return `${lines.join("\n")}\n`;
}
