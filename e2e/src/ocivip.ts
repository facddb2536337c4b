import { readdirSync, statSync } from "node:fs";
import { cp, mkdir, readdir, rm, symlink } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { CloudLab } from "./cloud.js";
import type { AgentInstaller } from "./cluster.js";
import { E2eError } from "./errors.js";
import { runCommand } from "./exec.js";
import type { ResourceSpec } from "./resources.js";

/** Packages bundled into the agent's `dist/cli.js`: a newer source file means a stale build. */
const bundledPackages = ["ocivip", "ocf", "iproute2", "oci-vnic"];

function ocivipPackageDir(): string {
  return dirname(createRequire(import.meta.url).resolve("@ocfkit/ocivip/package.json"));
}

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce(
    (newest, entry) => Math.max(newest, newestMtime(join(path, entry))),
    0,
  );
}

function builtMtime(dir: string): number {
  try {
    return newestMtime(dir);
  } catch {
    return 0;
  }
}

/** Builds `@ocfkit/ocivip` and its dependencies (turbo) unless its `dist/` is newer than every bundled source. */
export async function ensureOcivipBuilt(): Promise<string> {
  const packageDir = ocivipPackageDir();
  const packagesDir = dirname(packageDir);
  const sources = Math.max(...bundledPackages.map((p) => newestMtime(join(packagesDir, p, "src"))));
  if (builtMtime(join(packageDir, "dist")) < sources) {
    // turbo builds the packages it depends on first; one retry covers a sibling's dist/ being
    // rewritten by a concurrent build.
    const build = () =>
      runCommand(
        "pnpm",
        ["turbo", "run", "build", "--filter=@ocfkit/ocivip", "--output-logs=errors-only"],
        {
          cwd: dirname(packagesDir),
          timeoutMs: 300_000,
          env: { FORCE_COLOR: "0" },
        },
      );
    await build().catch(build);
  }
  return join(packageDir, "bin", "ocivip.js");
}

/**
 * Copies the built agent (bin, dist, package.json; node_modules linked) into `dir`, so a
 * concurrent rebuild of the package (tsup cleans dist/) cannot pull it from under a running lab.
 */
async function snapshotOcivip(dir: string): Promise<string> {
  const packageDir = ocivipPackageDir();
  for (let attempt = 1; ; attempt++) {
    try {
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true });
      await cp(join(packageDir, "package.json"), join(dir, "package.json"));
      await cp(join(packageDir, "bin"), join(dir, "bin"), { recursive: true });
      await cp(join(packageDir, "dist"), join(dir, "dist"), { recursive: true });
      await symlink(join(packageDir, "node_modules"), join(dir, "node_modules"));
      if ((await readdir(join(dir, "dist"))).length === 0) throw new Error("empty dist/");
      return join(dir, "bin", "ocivip.js");
    } catch (error) {
      if (attempt >= 3) throw error;
      await ensureOcivipBuilt();
    }
  }
}

/**
 * Installs `ocf:ocfkit:ocivip` into the run's OCF root with `ocivip install` (from a snapshot of
 * the built package, building it first if its sources are newer), then checks it answers meta-data.
 */
export function ocivipInstaller(): AgentInstaller {
  return {
    providers: ["ocfkit"],
    async install(ocfRoot) {
      await ensureOcivipBuilt();
      const bin = await snapshotOcivip(join(dirname(ocfRoot), "ocivip"));
      await runCommand(process.execPath, [
        bin,
        "install",
        "--provider",
        "ocfkit",
        "--ocf-root",
        ocfRoot,
      ]);
      const launcher = join(ocfRoot, "resource.d", "ocfkit", "ocivip");
      const metadata = await runCommand(launcher, ["meta-data"], {
        env: { OCF_ROOT: "/usr/lib/ocf" },
      });
      if (!metadata.stdout.includes('<resource-agent name="ocivip"')) {
        throw new E2eError("COMMAND_FAILED", `${launcher} meta-data printed no agent description`);
      }
    },
  };
}

/**
 * `ocf:ocfkit:ocivip` created the tutorial's way (step 15: monitor every 20 s, timeout 30 s,
 * OCF_CHECK_LEVEL=0), every endpoint pointing at the emulator, each node's metadata URL at its
 * own instance.
 */
export function ocivipResource(options: {
  cloud: CloudLab;
  ip: string;
  nodes: readonly string[];
  id?: string;
  cidrNetmask?: number;
  preferredNode?: string;
}): ResourceSpec {
  const { cloud } = options;
  return {
    id: options.id ?? "OCIVIP",
    agent: "ocf:ocfkit:ocivip",
    params: {
      secondary_private_ip: options.ip,
      cidr_netmask: String(options.cidrNetmask ?? 24),
      auth: "instance_principal",
      federation_endpoint: cloud.urls.federation,
      api_endpoint: cloud.urls.api,
    },
    perNodeParams: Object.fromEntries(
      options.nodes.map((node) => [node, { metadata_endpoint: cloud.urls.imds[node] ?? "" }]),
    ),
    operations: [
      { name: "monitor", options: { timeout: "30s", interval: "20s", OCF_CHECK_LEVEL: "0" } },
    ],
    ...(options.preferredNode === undefined ? {} : { preferredNode: options.preferredNode }),
    vip: options.ip,
  };
}
