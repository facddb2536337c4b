// Packs every public package and checks the tarball as a user would get it:
// publint (package.json and files) and Are The Types Wrong (types resolve for ESM consumers).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const out = mkdtempSync(join(tmpdir(), "ocfkit-pack-"));
let failed = 0;
try {
  for (const dir of readdirSync("packages")) {
    const pkg = JSON.parse(readFileSync(join("packages", dir, "package.json"), "utf8"));
    if (pkg.private) continue;
    const before = new Set(readdirSync(out));
    execFileSync("pnpm", ["pack", "--pack-destination", out], {
      cwd: join("packages", dir),
      stdio: "ignore",
    });
    const tarball = readdirSync(out).find((f) => !before.has(f));
    if (!tarball) throw new Error(`pnpm pack produced no tarball for ${pkg.name}`);
    const path = join(out, tarball);
    for (const [tool, args] of [
      ["publint", ["exec", "publint", "run", path, "--strict"]],
      ["attw", ["exec", "attw", path, "--profile", "esm-only", "--format", "table-flipped"]],
    ]) {
      try {
        execFileSync("pnpm", args, { stdio: "pipe" });
        console.log(`ok   ${tool.padEnd(7)} ${pkg.name}`);
      } catch (err) {
        failed++;
        console.error(`FAIL ${tool.padEnd(7)} ${pkg.name}\n${err.stdout ?? ""}${err.stderr ?? ""}`);
      }
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
if (failed) {
  console.error(`${failed} package check(s) failed`);
  process.exit(1);
}
