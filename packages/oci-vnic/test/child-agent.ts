// Run as a separate process by process.test.ts, the way an agent runs: new process, one call.
import { createRequire } from "node:module";
import type { createOciVnic as CreateOciVnic } from "../src/index.js";

// SDK files this process has loaded, as "oci-common/lib/signer.js", plus the bundle "sdk.cjs".
const sdkLoaded = (): string[] =>
  Object.keys(createRequire(import.meta.url).cache)
    .map((path) => /[\\/]((oci-common|oci-core)[\\/].*|sdk\.cjs)$/.exec(path)?.[1])
    .filter((name): name is string => name !== undefined)
    .sort();

const config = JSON.parse(process.env.OCI_VNIC_CHILD ?? "{}");
// The sources by default, or a build of the package (its index.js) when `entry` names one.
const { createOciVnic } = (await import(config.entry ?? "../src/index.js")) as {
  createOciVnic: typeof CreateOciVnic;
};
const afterImport = sdkLoaded();
const sdkLog: string[] = [];
const client = createOciVnic({
  ...config.options,
  ...(config.sdkLog ? { sdkLog: (level: string, m: string) => sdkLog.push(`${level}: ${m}`) } : {}),
});
const afterCreate = sdkLoaded();
let code: string | undefined;
try {
  await client.getAssignment("192.0.2.100", { timeoutMs: config.timeoutMs });
} catch (e) {
  code = (e as { code?: string }).code;
}
const afterRead = sdkLoaded();
// Node's fetch implementation (undici) is a built-in module, loaded on first use of fetch/Headers.
const loaded = (process as unknown as { moduleLoadList: string[] }).moduleLoadList;
const undiciAfterRead = loaded.some((m) => m.includes("undici"));
if (config.assign) {
  const vnic = await client.selectVnic({ ip: "192.0.2.100" });
  await client.assign("192.0.2.100", vnic);
}
const afterWrite = sdkLoaded();
// Our own console output is ours: nothing in the package patches the console.
console.log("agent output");
process.stdout.write(
  `${JSON.stringify({ afterImport, afterCreate, afterRead, afterWrite, undiciAfterRead, code, counts: client.requestCounts(), sdkLog })}\n`,
);
