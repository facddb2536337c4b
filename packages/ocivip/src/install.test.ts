import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { installAgent, renderLauncher } from "./install.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("installAgent", () => {
  it("writes an executable launcher under resource.d/<provider> with absolute paths", async () => {
    const root = mkdtempSync(join(tmpdir(), "ocfk-ocf-"));
    dirs.push(root);
    const result = await installAgent({
      ocfRoot: root,
      nodePath: "/usr/bin/node",
      entry: "/opt/ocivip/dist/launch.cjs",
    });
    expect(result.path).toBe(join(root, "resource.d", "ocfkit", "ocivip"));
    expect(statSync(result.path).mode & 0o777).toBe(0o755);
    const text = readFileSync(result.path, "utf8");
    expect(text).toBe(renderLauncher("/usr/bin/node", "/opt/ocivip/dist/launch.cjs"));
    expect(text.split("\n")[0]).toBe("#!/usr/bin/node");
    expect(text).toContain('const entry = "/opt/ocivip/dist/launch.cjs";');
  });

  it("records the node running the installer by default", async () => {
    const root = mkdtempSync(join(tmpdir(), "ocfk-ocf-"));
    dirs.push(root);
    const { nodePath } = await installAgent({
      ocfRoot: root,
      provider: "acme",
      entry: "/x/launch.js",
    });
    expect(nodePath).toBe(process.execPath);
  });

  it("names the bad option", async () => {
    await expect(installAgent({ provider: "../etc", ocfRoot: "/tmp" })).rejects.toThrow(
      /--provider/,
    );
    await expect(installAgent({ ocfRoot: "relative/dir", entry: "/x" })).rejects.toThrow(
      /--ocf-root: expected an absolute path/,
    );
  });

  it("never writes through a file or link planted at its temporary name", async () => {
    const root = mkdtempSync(join(tmpdir(), "ocfk-ocf-"));
    dirs.push(root);
    const dir = join(root, "resource.d", "ocfkit");
    mkdirSync(dir, { recursive: true });
    const victim = join(root, "victim");
    writeFileSync(victim, "precious\n");
    symlinkSync(victim, join(dir, `ocivip.${process.pid}.tmp`));
    await expect(installAgent({ ocfRoot: root, entry: "/x/launch.cjs" })).rejects.toThrow(/EEXIST/);
    expect(readFileSync(victim, "utf8")).toBe("precious\n");
    expect(existsSync(join(dir, "ocivip"))).toBe(false);
  });
});
