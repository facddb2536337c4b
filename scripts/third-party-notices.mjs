// After tsup: merges what tsup.notices.ts's recorder found in each bundle (dist/.third-party/*.json)
// into dist/THIRD-PARTY-NOTICES.md, the notices of every third-party package the bundles inline.
// Run from a package directory: node ../../scripts/third-party-notices.mjs
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const outDir = "dist";
const { name } = JSON.parse(readFileSync("package.json", "utf8"));
const recorded = join(outDir, ".third-party");
const all = new Map();
if (existsSync(recorded)) {
  for (const file of readdirSync(recorded).sort()) {
    for (const p of JSON.parse(readFileSync(join(recorded, file), "utf8")))
      all.set(`${p.name}@${p.version}`, p);
  }
  rmSync(recorded, { recursive: true, force: true });
}
const sorted = [...all.values()].sort(
  (a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version),
);
const lines = [
  `# Third-party software in ${name}`,
  "",
  sorted.length === 0
    ? "The files in `dist/` include no third-party code."
    : "The files in `dist/` include code from the packages below, each under its own licence.",
  "",
];
for (const p of sorted) {
  lines.push(`## ${p.name} ${p.version}`, "", `License: ${p.license}`);
  if (p.repository) lines.push(`Source: ${p.repository}`);
  lines.push("");
  if (p.texts.length === 0)
    lines.push("(the package has no licence file; see its `license` field)", "");
  for (const t of p.texts) lines.push("```", t.text, "```", "");
}
writeFileSync(join(outDir, "THIRD-PARTY-NOTICES.md"), `${lines.join("\n")}\n`);
console.log(`${name}: THIRD-PARTY-NOTICES.md lists ${sorted.length} package(s)`);
