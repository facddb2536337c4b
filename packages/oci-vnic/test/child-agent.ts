// Run as a separate process by process.test.ts, the way an agent runs: new process, one call.
import { createRequire } from "node:module";
import { createOciVnic } from "../src/index.js";

const sdkLoaded = (): string[] =>
  [
    ...new Set(
      Object.keys(createRequire(import.meta.url).cache)
        .map((path) => /[\\/](oci-common|oci-core)[\\/]/.exec(path)?.[1])
        .filter((name): name is string => name !== undefined),
    ),
  ].sort();

const config = JSON.parse(process.env.OCI_VNIC_CHILD ?? "{}");
const afterImport = sdkLoaded();
const client = createOciVnic(config.options);
const afterCreate = sdkLoaded();
let code: string | undefined;
try {
  await client.getAssignment("192.0.2.100", { timeoutMs: config.timeoutMs });
} catch (e) {
  code = (e as { code?: string }).code;
}
const afterRead = sdkLoaded();
if (config.assign) {
  const vnic = await client.selectVnic({ ip: "192.0.2.100" });
  await client.assign("192.0.2.100", vnic);
}
const afterWrite = sdkLoaded();
// Our own console output must still get through the SDK filter.
console.log("agent output");
process.stdout.write(
  `${JSON.stringify({ afterImport, afterCreate, afterRead, afterWrite, code, counts: client.requestCounts() })}\n`,
);
