import {
  type ActionAdvert,
  type ActionDefinition,
  type Agent,
  type TimeSpec,
  timeSpecToMs,
} from "./agent.js";
import type { ParamSpec } from "./params.js";

/**
 * Meta-data flavour.
 * - `"strict"`: validates against both `ra-api-1.dtd` and resource-agents' `metadata.rng`. OCF 1.1
 *   extras are folded into text: `select` becomes `string` with the allowed values in longdesc,
 *   deprecation goes into the descriptions, a unique group of one becomes `unique="1"`, and actions
 *   the DTD does not list (such as `reload-agent`) are not advertised.
 * - `"ocf-1.1"`: full OCF 1.1 (`reloadable`, `unique-group`, `<deprecated>`, `select` options,
 *   `reload-agent`); validates against pcs' `ocf-1.1.rng`.
 */
export type MetadataDialect = "strict" | "ocf-1.1";

/** Options of {@link renderMetadata}. */
export interface MetadataOptions {
  /** Flavour; default the agent's `metadataDialect`, else `"strict"`. */
  readonly dialect?: MetadataDialect;
  /** `lang` of descriptions (default `"en"`). */
  readonly lang?: string;
}

/** The OCF API version the meta-data declares. */
export const OCF_API_VERSION = "1.1";

/** Action names `ra-api-1.dtd` accepts. */
const DTD_ACTIONS = new Set([
  "start",
  "stop",
  "recover",
  "monitor",
  "restart",
  "migrate_to",
  "migrate_from",
  "promote",
  "demote",
  "notify",
  "status",
  "reload",
  "meta-data",
  "usage",
  "methods",
  "validate-all",
]);

/** Default timeouts (and monitor interval) when the agent gives none, as OCF agents commonly use. */
const DEFAULT_TIMEOUT: TimeSpec = "20s";
const DEFAULT_MONITOR_INTERVAL: TimeSpec = "10s";
const META_DATA_TIMEOUT: TimeSpec = "5s";

/** Escapes text for XML element content and attribute values. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

function formatTime(value: TimeSpec): string {
  const ms = timeSpecToMs(value);
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${Math.round(ms)}ms`;
}

/** The meta-data lines (name + defaults) an agent advertises, in a stable order. */
export function advertisedActions(agent: Agent): Array<ActionAdvert & { name: string }> {
  const actions = agent.definition.actions as Record<string, ActionDefinition<unknown> | undefined>;
  const out: Array<ActionAdvert & { name: string }> = [];
  for (const [name, action] of Object.entries(actions)) {
    if (action === undefined || name === "meta-data") continue;
    const options: Partial<ActionAdvert> = typeof action === "function" ? {} : action;
    const monitor = name === "monitor";
    out.push({
      name,
      timeout: options.timeout ?? DEFAULT_TIMEOUT,
      ...(options.interval !== undefined || monitor
        ? { interval: options.interval ?? DEFAULT_MONITOR_INTERVAL }
        : {}),
      ...(options.depth !== undefined || monitor ? { depth: options.depth ?? 0 } : {}),
      ...(options.role === undefined ? {} : { role: options.role }),
      ...(options.startDelay === undefined ? {} : { startDelay: options.startDelay }),
    });
    for (const extra of typeof action === "function" ? [] : (action.more ?? [])) {
      out.push({ name, ...extra });
    }
  }
  if (actions["validate-all"] === undefined)
    out.push({ name: "validate-all", timeout: DEFAULT_TIMEOUT });
  out.push({ name: "meta-data", timeout: META_DATA_TIMEOUT });
  return out;
}

function renderAction(action: ActionAdvert & { name: string }): string {
  const attrs = [`name="${escapeXml(action.name)}"`, `timeout="${formatTime(action.timeout)}"`];
  if (action.interval !== undefined) attrs.push(`interval="${formatTime(action.interval)}"`);
  if (action.depth !== undefined) attrs.push(`depth="${action.depth}"`);
  if (action.role !== undefined) attrs.push(`role="${action.role}"`);
  if (action.startDelay !== undefined) attrs.push(`start-delay="${formatTime(action.startDelay)}"`);
  return `<action ${attrs.join(" ")} />`;
}

function groupSizes(specs: readonly ParamSpec[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const spec of specs) {
    if (spec.uniqueGroup === undefined) continue;
    groups.set(spec.uniqueGroup, [...(groups.get(spec.uniqueGroup) ?? []), spec.name]);
  }
  return groups;
}

function deprecationText(spec: ParamSpec): string {
  const replaced = spec.deprecated?.replacedWith ?? [];
  return replaced.length > 0 ? `deprecated, use ${replaced.join(", ")}` : "deprecated";
}

function renderParameter(
  spec: ParamSpec,
  dialect: MetadataDialect,
  groups: Map<string, string[]>,
  lang: string,
): string {
  const group = spec.uniqueGroup === undefined ? [] : (groups.get(spec.uniqueGroup) ?? []);
  const attrs = [`name="${escapeXml(spec.name)}"`];
  if (dialect === "ocf-1.1" && spec.uniqueGroup !== undefined) {
    attrs.push(`unique-group="${escapeXml(spec.uniqueGroup)}"`);
  }
  attrs.push(`unique="${group.length === 1 ? 1 : 0}"`, `required="${spec.required ? 1 : 0}"`);
  if (dialect === "ocf-1.1" && spec.reloadable) attrs.push(`reloadable="1"`);

  let longdesc = spec.longdesc;
  let shortdesc = spec.shortdesc;
  const lines: string[] = [];
  if (dialect === "strict") {
    if (spec.type === "select") longdesc += `\nAllowed values: ${spec.options.join(", ")}.`;
    if (group.length > 1)
      longdesc += `\nUnique in combination with: ${group.filter((n) => n !== spec.name).join(", ")}.`;
    if (spec.deprecated) {
      shortdesc += ` (${deprecationText(spec)})`;
      longdesc = `${capitalize(deprecationText(spec))}.${spec.deprecated.desc ? ` ${spec.deprecated.desc}` : ""}\n${longdesc}`;
    }
  } else if (spec.deprecated) {
    lines.push("<deprecated>");
    for (const name of spec.deprecated.replacedWith)
      lines.push(`<replaced-with name="${escapeXml(name)}" />`);
    if (spec.deprecated.desc)
      lines.push(`<desc lang="${lang}">${escapeXml(spec.deprecated.desc)}</desc>`);
    lines.push("</deprecated>");
  }
  const type = dialect === "strict" && spec.type === "select" ? "string" : spec.type;
  const defaultAttr = spec.default === undefined ? "" : ` default="${escapeXml(spec.default)}"`;
  const content =
    type === "select"
      ? [
          `<content type="select"${defaultAttr}>`,
          ...spec.options.map((o) => `<option value="${escapeXml(o)}" />`),
          "</content>",
        ]
      : [`<content type="${type}"${defaultAttr} />`];
  return [
    `<parameter ${attrs.join(" ")}>`,
    `<longdesc lang="${lang}">${escapeXml(longdesc)}</longdesc>`,
    `<shortdesc lang="${lang}">${escapeXml(shortdesc)}</shortdesc>`,
    ...lines,
    ...content,
    "</parameter>",
  ].join("\n");
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Renders an agent's OCF meta-data XML. Needs no environment.
 *
 * @example
 * ```ts
 * process.stdout.write(renderMetadata(agent));
 * ```
 */
export function renderMetadata(agent: Agent, options: MetadataOptions = {}): string {
  const def = agent.definition;
  const dialect = options.dialect ?? def.metadataDialect ?? "strict";
  const lang = escapeXml(options.lang ?? "en");
  const specs = agent.parameterSpecs();
  const groups = groupSizes(specs);
  const actions = advertisedActions(agent).filter(
    (a) => dialect === "ocf-1.1" || DTD_ACTIONS.has(a.name),
  );
  return [
    `<?xml version="1.0"?>`,
    // ocf-tester checks with `xmllint --valid`, which needs the DOCTYPE; OCF 1.1 extras break the DTD.
    ...(dialect === "strict" ? [`<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">`] : []),
    `<resource-agent name="${escapeXml(def.name)}" version="${escapeXml(def.version)}">`,
    `<version>${OCF_API_VERSION}</version>`,
    `<longdesc lang="${lang}">${escapeXml(def.longdesc ?? def.shortdesc)}</longdesc>`,
    `<shortdesc lang="${lang}">${escapeXml(def.shortdesc)}</shortdesc>`,
    "<parameters>",
    ...specs.map((spec) => renderParameter(spec, dialect, groups, lang)),
    "</parameters>",
    "<actions>",
    ...actions.map(renderAction),
    "</actions>",
    "</resource-agent>",
    "",
  ].join("\n");
}
