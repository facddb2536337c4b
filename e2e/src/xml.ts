import { E2eError } from "./errors.js";

/** One XML element: name, attributes and child elements (text content is dropped). */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
}

const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, entity: string) => {
    if (entity.startsWith("#x") || entity.startsWith("#X")) {
      return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    }
    if (entity.startsWith("#")) return String.fromCodePoint(Number(entity.slice(1)));
    return entities[entity] ?? "";
  });
}

const tagPattern =
  /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
const attributePattern = /([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/**
 * Parses the element structure of machine-written XML (crm_mon, cibadmin output): enough for
 * tools whose output is well-formed by construction, not a general XML parser.
 */
export function parseXml(text: string): XmlElement {
  const body = text.replace(/<\?[\s\S]*?\?>/g, "").replace(/<!--[\s\S]*?-->/g, "");
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  for (const match of body.matchAll(tagPattern)) {
    const [, closing, name = "", rawAttributes = "", selfClosing] = match;
    if (closing) {
      const open = stack.pop();
      if (open?.name !== name) {
        throw new E2eError(
          "BAD_CRM_MON_OUTPUT",
          `unbalanced XML: </${name}> closes <${open?.name}>`,
        );
      }
      continue;
    }
    const attributes: Record<string, string> = {};
    for (const [, key = "", double, single] of rawAttributes.matchAll(attributePattern)) {
      attributes[key] = decode(double ?? single ?? "");
    }
    const element: XmlElement = { name, attributes, children: [] };
    const parent = stack.at(-1);
    if (parent) parent.children.push(element);
    else if (root) throw new E2eError("BAD_CRM_MON_OUTPUT", "XML has more than one root element");
    else root = element;
    if (!selfClosing) stack.push(element);
  }
  if (!root || stack.length > 0) {
    throw new E2eError("BAD_CRM_MON_OUTPUT", `not a complete XML document: ${text.slice(0, 200)}`);
  }
  return root;
}

/** Every descendant element (depth first) whose name is `name`. */
export function findAll(element: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  for (const child of element.children) {
    if (child.name === name) found.push(child);
    found.push(...findAll(child, name));
  }
  return found;
}
