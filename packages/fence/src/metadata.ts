import type { FenceAgent } from "./agent.js";
import {
  type FenceOptionSpec,
  type FenceOptionSpecs,
  fenceActions,
  getoptText,
} from "./options.js";

/** Escapes text for XML element content and attribute values. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

function defaultText(spec: FenceOptionSpec): string | undefined {
  if (spec.default === undefined) return undefined;
  if (typeof spec.default === "boolean") return spec.default ? "1" : "0";
  return String(spec.default);
}

function renderParameter(
  name: string,
  spec: FenceOptionSpec,
  extra: { deprecated?: boolean; obsoletes?: string },
): string {
  const attrs = [`name="${escapeXml(name)}"`, `unique="0"`, `required="${spec.required ? 1 : 0}"`];
  if (extra.deprecated) attrs.push(`deprecated="1"`);
  if (extra.obsoletes) attrs.push(`obsoletes="${escapeXml(extra.obsoletes)}"`);
  const def = defaultText(spec);
  const defAttr = def === undefined ? "" : ` default="${escapeXml(def)}"`;
  const content =
    spec.type === "select"
      ? [
          `\t\t<content type="select"${defAttr}>`,
          ...(spec.choices ?? []).map((c) => `\t\t\t<option value="${escapeXml(c)}" />`),
          "\t\t</content>",
        ]
      : [`\t\t<content type="${spec.type}"${defAttr} />`];
  return [
    `\t<parameter ${attrs.join(" ")}>`,
    `\t\t<getopt mixed="${escapeXml(getoptText(name, spec))}" />`,
    ...content,
    `\t\t<shortdesc lang="en">${escapeXml(spec.shortdesc)}</shortdesc>`,
    "\t</parameter>",
  ].join("\n");
}

/**
 * Renders an agent's metadata in the fence-agents format (`<resource-agent name shortdesc>` with
 * `<getopt mixed>` per parameter) that `stonith_admin --metadata`, `pcs stonith describe` and
 * `pcs stonith create` read. An option's older names (`port` for `plug`) are listed as deprecated
 * parameters, as fence-agents does. Needs no options or environment.
 *
 * @example
 * ```ts
 * process.stdout.write(renderFenceMetadata(agent));
 * ```
 */
export function renderFenceMetadata<S extends FenceOptionSpecs, C>(
  agent: FenceAgent<S, C>,
): string {
  const def = agent.definition;
  const params: string[] = [];
  for (const [name, spec] of Object.entries(agent.specs)) {
    const aliases = spec.aliases ?? [];
    params.push(
      renderParameter(name, spec, aliases.length > 0 ? { obsoletes: aliases[0] ?? "" } : {}),
    );
    for (const alias of aliases) params.push(renderParameter(alias, spec, { deprecated: true }));
  }
  return [
    `<?xml version="1.0" ?>`,
    `<resource-agent name="${escapeXml(def.name)}" shortdesc="${escapeXml(def.shortdesc)}" >`,
    `<longdesc>${escapeXml(def.longdesc ?? def.shortdesc)}</longdesc>`,
    `<vendor-url>${escapeXml(def.vendorUrl ?? "")}</vendor-url>`,
    "<parameters>",
    ...params,
    "</parameters>",
    "<actions>",
    // `automatic="0"`: Pacemaker must not unfence (power on) nodes by itself when they join.
    ...fenceActions.map((a) =>
      a === "on" ? `\t<action name="on" automatic="0"/>` : `\t<action name="${a}" />`,
    ),
    "</actions>",
    "</resource-agent>",
    "",
  ].join("\n");
}
