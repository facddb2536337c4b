import { createLogger, parseParameters } from "@ocfkit/ocf";
import { ocivipAgent } from "./agent.js";
import { formatDoctorReport, runDoctor } from "./doctor.js";
import { createLocalNet } from "./local-net.js";
import type { CloudNet } from "./ports.js";
import type { Settings } from "./settings.js";
import { toSettings } from "./to-settings.js";

/**
 * `ocivip doctor [name=value ...]`: parameters as the resource has them (`secondary_private_ip=...`,
 * or `OCF_RESKEY_*` in the environment); prints the report; exit 0 when nothing failed, else 1.
 */
export async function runDoctorCli(args: readonly string[]): Promise<number> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const arg of args) {
    const eq = arg.indexOf("=");
    if (eq <= 0)
      throw new TypeError(`expected name=value (e.g. secondary_private_ip=10.0.0.5), got ${arg}`);
    env[`OCF_RESKEY_${arg.slice(0, eq).replace(/^--/, "").replaceAll("-", "_")}`] = arg.slice(
      eq + 1,
    );
  }
  let settings: Settings | Error;
  try {
    const spec = ocivipAgent.parameterSpecs();
    settings = toSettings(await parseParameters(ocivipAgent.definition.parameters, spec, env));
  } catch (error) {
    settings = error as Error;
  }
  const rscTmp = env.HA_RSCTMP || "/run/resource-agents";
  const log = createLogger({
    log: { facility: undefined, tag: undefined, file: undefined, debugFile: undefined },
    debug: false,
    agentName: "ocivip-doctor",
    instance: undefined,
    stderr: process.stderr,
  });
  let cloud: Promise<CloudNet> | undefined;
  const checks = await runDoctor({
    settings,
    local: createLocalNet(),
    rscTmp,
    cloud: () => {
      if (settings instanceof Error) return Promise.reject(settings);
      const s = settings;
      cloud ??= import("./cloud-net.js").then((m) =>
        m.createCloudNet({ settings: s, cacheDir: undefined, log }),
      );
      return cloud;
    },
  });
  process.stdout.write(formatDoctorReport(checks));
  return checks.some((c) => c.status === "fail") ? 1 : 0;
}
