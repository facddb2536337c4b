import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { release } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FailoverLab } from "@ocfkit/e2e";

/** Versions of everything a failover run depends on (`unknown` when a tool did not answer). */
export interface Versions {
  readonly node: string;
  readonly pacemaker: string;
  readonly corosync: string;
  readonly resourceAgents: string;
  /** Linux kernel release (`uname -r`). */
  readonly kernel: string;
  /** Each `@ocfkit/*` package and its package.json version. */
  readonly ocfkit: Readonly<Record<string, string>>;
}

/** A run's settings as the report shows them. */
export interface RunParameters {
  readonly agent: string;
  readonly agentParams: Readonly<Record<string, string>>;
  readonly nodes: number;
  /** Corosync totem timings as the running corosync reports them (`corosync-cmapctl`), ms. */
  readonly tokenMs: number;
  readonly consensusMs: number | undefined;
  readonly probeIntervalMs: number;
  readonly probeTimeoutMs: number;
  readonly sampleIntervalMs: number;
  /** The OCI emulator's profile name and what it means, when there was a cloud. */
  readonly cloud: { profile: string; meaning: string; transport: string } | undefined;
}

function output(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile(command, [...args], { timeout: 5000 }, (error, stdout) =>
      resolve(error ? "" : stdout.trim()),
    );
  });
}

const packagesDir = fileURLToPath(new URL("../../packages", import.meta.url));

/** Runs `pacemakerd --version`, `corosync -v`, `dpkg-query` and reads the packages' versions. */
export async function collectVersions(): Promise<Versions> {
  const [pacemaker, corosync, resourceAgents] = await Promise.all([
    output("pacemakerd", ["--version"]),
    output("corosync", ["-v"]),
    // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format syntax
    output("dpkg-query", ["-W", "-f=${Version}", "resource-agents"]),
  ]);
  const ocfkit: Record<string, string> = {};
  for (const dir of (await readdir(packagesDir)).sort()) {
    try {
      const json = JSON.parse(await readFile(join(packagesDir, dir, "package.json"), "utf8"));
      if (typeof json.name === "string" && typeof json.version === "string")
        ocfkit[json.name] = json.version;
    } catch {
      // not a package directory
    }
  }
  return {
    node: process.version,
    pacemaker: /Pacemaker ([\w.-]+)/.exec(pacemaker)?.[1] ?? "unknown",
    corosync: /version '([^']+)'/.exec(corosync)?.[1] ?? "unknown",
    resourceAgents: resourceAgents || "unknown",
    kernel: release(),
    ocfkit,
  };
}

/** Reads a totem setting from the running corosync on `node` (`corosync-cmapctl -g`). */
async function totem(lab: FailoverLab, node: string, key: string): Promise<number | undefined> {
  const result = await lab.cluster
    .exec(node, "corosync-cmapctl", ["-g", `runtime.config.totem.${key}`], {
      timeoutMs: 5000,
      allowFailure: true,
    })
    .catch(() => undefined);
  const value = /=\s*(\d+)/.exec(result?.stdout ?? "")?.[1];
  return value === undefined ? undefined : Number(value);
}

/** The lab's settings, with token and consensus read from the running corosync on `node`. */
export async function collectParameters(
  lab: FailoverLab,
  node: string,
  cloud: RunParameters["cloud"],
): Promise<RunParameters> {
  const tokenMs = (await totem(lab, node, "token")) ?? lab.cluster.plan.options.tokenMs;
  return {
    agent: lab.resource.agent,
    agentParams: {
      ...lab.resource.params,
      ...Object.fromEntries(
        Object.entries(lab.resource.perNodeParams ?? {}).flatMap(([n, params]) =>
          Object.entries(params).map(([k, v]) => [`${k} (on ${n})`, v]),
        ),
      ),
    },
    nodes: lab.cluster.plan.nodes.length,
    tokenMs,
    consensusMs: await totem(lab, node, "consensus"),
    probeIntervalMs: lab.sampleIntervalMs,
    probeTimeoutMs: 250,
    sampleIntervalMs: lab.sampleIntervalMs,
    cloud,
  };
}
