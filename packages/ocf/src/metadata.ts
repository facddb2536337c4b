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
 * - `"ocf-1.1"` (default): OCF 1.1 as Pacemaker reads it: `reload-agent`, `reloadable`,
 *   `unique-group`. Select options and deprecation are folded into the descriptions (see
 *   `"ocf-1.1-full"`), and a DOCTYPE whose internal subset adds the OCF 1.1 attributes and the
 *   `reload-agent` action name to `ra-api-1.dtd` keeps `xmllint --valid` (what ocf-tester runs)
 *   passing. Validates against pcs' `ocf-1.1.rng` too.
 * - `"ocf-1.1-full"`: every OCF 1.1 element (`<deprecated>`, `select` with `<option>`s) besides
 *   the above; no DOCTYPE: validates against pcs' `ocf-1.1.rng` only, not ocf-tester's DTD check.
 * - `"legacy"` (alias `"strict"`, deprecated): OCF 1.0, valid against `ra-api-1.dtd` alone and
 *   resource-agents' `metadata.rng`: no `reloadable`, no `reload-agent`. Pacemaker then reloads
 *   through the OCF 1.0 `reload` only for agents declaring a version below 1.1, so an agent
 *   declaring 1.1 with this dialect is restarted (stop + start) on every parameter change.
 */
export type MetadataDialect = "ocf-1.1" | "ocf-1.1-full" | "legacy" | "strict";

/** The dialect meta-data uses unless the agent or the caller picks another. */
export const DEFAULT_METADATA_DIALECT: MetadataDialect = "ocf-1.1";

/** Options of {@link renderMetadata}. */
export interface MetadataOptions {
  /** Flavour; default the agent's `metadataDialect`, else `"ocf-1.1"`. */
  readonly dialect?: MetadataDialect;
  /** `lang` of descriptions (default `"en"`). */
  readonly lang?: string;
}

/** The OCF API version the meta-data declares (the `"legacy"` dialect declares 1.0). */
export const OCF_API_VERSION = "1.1";

/** Action names `ra-api-1.dtd` accepts. */
const DTD_ACTIONS = [
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
];

/** An action name usable in a DTD enumeration (an XML name token). */
const NMTOKEN = /^[A-Za-z0-9._:-]+$/;

/**
 * The DOCTYPE of the `"ocf-1.1"` dialect. XML reads the internal subset before the external one
 * and the first declaration of an attribute binds, so this extends `ra-api-1.dtd` with what OCF
 * 1.1 adds as attributes, and with the agent's action names (elements cannot be redeclared: hence
 * select options and deprecation folded into text).
 */
function ocf11Doctype(actionNames: readonly string[]): string[] {
  const names = [...new Set([...DTD_ACTIONS, ...actionNames])];
  return [
    `<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd" [`,
    `<!ATTLIST parameter reloadable (1|0) "0" unique-group CDATA #IMPLIED>`,
    `<!ATTLIST action name (${names.join("|")}) #REQUIRED>`,
    "]>",
  ];
}

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

/**
 * Whether the framework answers `reload-agent` for this agent: it has reloadable parameters and
 * no handler of its own. Every action reads its parameters afresh, so applying a change of a
 * reloadable parameter needs no more than checking the new values.
 */
export function hasImplicitReloadAgent(agent: Agent): boolean {
  const actions = agent.definition.actions as Record<string, unknown>;
  return (
    actions["reload-agent"] === undefined && agent.parameterSpecs().some((spec) => spec.reloadable)
  );
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
  if (actions["reload-agent"] === undefined && hasImplicitReloadAgent(agent))
    out.push({ name: "reload-agent", timeout: DEFAULT_TIMEOUT });
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
  const legacy = isLegacy(dialect);
  const full = dialect === "ocf-1.1-full";
  if (!legacy && spec.uniqueGroup !== undefined) {
    attrs.push(`unique-group="${escapeXml(spec.uniqueGroup)}"`);
  }
  attrs.push(`unique="${group.length === 1 ? 1 : 0}"`, `required="${spec.required ? 1 : 0}"`);
  if (!legacy && spec.reloadable) attrs.push(`reloadable="1"`);

  let longdesc = spec.longdesc;
  let shortdesc = spec.shortdesc;
  const lines: string[] = [];
  if (!full) {
    if (spec.type === "select") longdesc += `\nAllowed values: ${spec.options.join(", ")}.`;
    if (legacy && group.length > 1)
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
  const type = !full && spec.type === "select" ? "string" : spec.type;
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

function isLegacy(dialect: MetadataDialect): boolean {
  return dialect === "legacy" || dialect === "strict";
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
  const dialect = options.dialect ?? def.metadataDialect ?? DEFAULT_METADATA_DIALECT;
  const lang = escapeXml(options.lang ?? "en");
  const specs = agent.parameterSpecs();
  const groups = groupSizes(specs);
  const all = advertisedActions(agent);
  const actions = all.filter((a) =>
    dialect === "ocf-1.1-full"
      ? true
      : isLegacy(dialect)
        ? DTD_ACTIONS.includes(a.name)
        : NMTOKEN.test(a.name),
  );
  // ocf-tester checks with `xmllint --valid`, which needs the DOCTYPE; the full OCF 1.1 elements
  // (`<deprecated>`, `<option>`) cannot be declared on top of ra-api-1.dtd, so that dialect has none.
  const doctype =
    dialect === "ocf-1.1-full"
      ? []
      : isLegacy(dialect)
        ? [`<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">`]
        : ocf11Doctype(actions.map((a) => a.name));
  return [
    `<?xml version="1.0"?>`,
    ...doctype,
    `<resource-agent name="${escapeXml(def.name)}" version="${escapeXml(def.version)}">`,
    // Pacemaker runs the OCF 1.0 `reload` only for agents declaring a version below 1.1.
    `<version>${isLegacy(dialect) ? "1.0" : OCF_API_VERSION}</version>`,
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
