// Checks the generated API docs (docs/api) after typedoc: every "Defined in" source link points
// to a file of this repository and a line inside it, none into node_modules, and the index page
// names every published package.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const out = "docs/api";
const prefix = "https://github.com/ocfkit/ocfkit/blob/main/";
const problems = [];
let links = 0;

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith(".html")) check(path);
  }
}

const lineCounts = new Map();
function lines(file) {
  if (!lineCounts.has(file)) lineCounts.set(file, readFileSync(file, "utf8").split("\n").length);
  return lineCounts.get(file);
}

function check(page) {
  const html = readFileSync(page, "utf8");
  for (const match of html.matchAll(
    /href="(https:\/\/github\.com\/ocfkit\/ocfkit\/blob\/[^"]+)"/g,
  )) {
    links++;
    const url = match[1];
    const [path, anchor] = url.slice(prefix.length).split("#L");
    if (!url.startsWith(prefix) || path.includes("node_modules") || path.startsWith("..")) {
      problems.push(`${page}: source link outside the repository: ${url}`);
    } else if (!existsSync(path)) {
      problems.push(`${page}: source link to a missing file: ${path}`);
    } else if (!(Number(anchor) >= 1 && Number(anchor) <= lines(path))) {
      problems.push(`${page}: source link past the end of ${path}: line ${anchor}`);
    }
  }
  if (/Defined in[^<]*node_modules/.test(html))
    problems.push(`${page}: "Defined in" names node_modules`);
}

walk(out);
const index = readFileSync(join(out, "index.html"), "utf8");
for (const dir of readdirSync("packages")) {
  const manifest = join("packages", dir, "package.json");
  if (!existsSync(manifest)) continue;
  const { name, private: isPrivate } = JSON.parse(readFileSync(manifest, "utf8"));
  if (!isPrivate && !index.includes(`${name}</a>`))
    problems.push(`index.html does not link ${name}`);
}
if (links === 0) problems.push("no source links at all");
if (problems.length > 0) {
  console.error(
    `API docs check: ${problems.length} problem(s)\n${problems.slice(0, 30).join("\n")}`,
  );
  process.exit(1);
}
console.log(`API docs check: ${links} source links, all inside the repository`);
