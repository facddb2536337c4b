import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import {
  hasTool,
  missingToolsMessage,
  restoreDirs,
  snapshotDirs,
  systemTools,
} from "./test-global-setup.js";

const root = join(import.meta.dirname, "..");

// Programs that are not system packages: Node and pnpm come first (README), the shell and
// coreutils are in every Debian, and the rest are files the tests write themselves.
const notSystemPackages = new Set([
  "node",
  "pnpm",
  "npx",
  "npm",
  "sh",
  "bash",
  "env",
  "true",
  "sleep",
  "rm",
  "chown",
  "kill",
  "cat",
  "install",
  // Ours: the tests that run it install it into /usr/sbin themselves (fence_oci install).
  "fence_oci",
]);

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "dist" || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (/\.(ts|mjs|js)$/.test(name)) out.push(path);
  }
  return out;
}

/** Every program a source file runs by a literal name or path. */
function spawnedPrograms(text: string): string[] {
  const found = new Set<string>();
  const patterns = [
    // spawn("tcpdump", ...), execFileSync(\n "openssl", ...)
    /(?<![.\w])(?:spawn|spawnSync|execFile|execFileSync)\(\s*"([A-Za-z0-9_./-]+)"/g,
    // ["netns", "exec", ns, "tcpdump", ...] and nsenter/unshare chains
    /"exec",\s*[A-Za-z_.]+,\s*"([A-Za-z0-9_./-]+)"/g,
    // absolute paths of system programs
    /"(\/usr\/(?:s?bin|libexec\/heartbeat)\/[A-Za-z0-9_.-]+)"/g,
  ];
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern)) found.add(match[1] as string);
  }
  return [...found];
}

describe("system tools list (scripts/system-tools.json)", () => {
  const tools = systemTools();

  it("names a Debian package and a purpose for every tool, no tool twice", () => {
    expect(tools.length).toBeGreaterThan(20);
    for (const t of tools) {
      expect(t.package, t.tool).toMatch(/^[a-z0-9][a-z0-9+.-]+$/);
      expect(t.for.length, t.tool).toBeGreaterThan(3);
    }
    expect(new Set(tools.map((t) => t.tool)).size).toBe(tools.length);
  });

  it("covers every program the tests, e2e, examples and benchmarks run", () => {
    const listed = new Set(tools.map((t) => t.tool));
    const names = new Set(tools.map((t) => t.tool.split("/").pop()));
    const unlisted: string[] = [];
    for (const file of [
      ...sources(join(root, "packages")),
      ...sources(join(root, "e2e")),
      ...sources(join(root, "examples")),
    ]) {
      for (const program of spawnedPrograms(readFileSync(file, "utf8"))) {
        const base = program.split("/").pop() as string;
        if (listed.has(program) || names.has(base) || notSystemPackages.has(base)) continue;
        // heartbeat/ is a directory name (send_arp's default folder), not a program
        if (program.endsWith("/heartbeat")) continue;
        unlisted.push(`${program} (${relative(root, file)})`);
      }
    }
    expect(unlisted).toEqual([]);
  });

  it("the scan finds programs in the shapes the code uses", () => {
    const text = `spawn("ip", ["netns", "exec", netns, "tcpdump", "-i"]);\nexecFileSync(\n  "openssl", []);\nconst t = "/usr/bin/time";`;
    expect(spawnedPrograms(text).sort()).toEqual(["/usr/bin/time", "ip", "openssl", "tcpdump"]);
  });

  it("the missing-tools message names every missing tool and its package", () => {
    const message = missingToolsMessage(tools, (tool) => tool !== "tcpdump" && tool !== "pcs");
    expect(message).toContain("tcpdump (package tcpdump;");
    expect(message).toContain("pcs (package pcs;");
    expect(message).toContain("apt-get install -y pcs tcpdump");
    expect(missingToolsMessage(tools, () => true)).toBeUndefined();
  });

  it("finds tools on PATH and by absolute path, and not a missing one", () => {
    expect(hasTool("ip", "/nonexistent")).toBe(true); // /usr/sbin is always searched
    expect(hasTool("tcpdump")).toBe(true);
    expect(hasTool("/usr/share/resource-agents/ra-api-1.dtd")).toBe(true);
    expect(hasTool("ocfkit-no-such-tool")).toBe(false);
    expect(hasTool("/usr/libexec/heartbeat/no-such-tool")).toBe(false);
  });
});

describe("the suite leaves the host's shared directories alone", () => {
  it("sees a changed mode, names it, and puts it back", () => {
    const dir = mkdtempSync(join(tmpdir(), "host-dirs-"));
    try {
      chmodSync(dir, 0o1777);
      const before = snapshotDirs([dir, join(dir, "absent")]);
      expect([...before.keys()]).toEqual([dir]);
      expect(restoreDirs(before, snapshotDirs([dir]))).toEqual([]);
      chmodSync(dir, 0o755);
      const changed = restoreDirs(before, snapshotDirs([dir]));
      expect(changed).toHaveLength(1);
      expect(changed[0]).toMatch(new RegExp(`${dir}: was 1777 0:0, now 0755 0:0`));
      expect(statSync(dir).mode & 0o7777).toBe(0o1777);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
