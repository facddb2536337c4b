// One cold process, as an OCF agent is: import the built package, run one operation, report.
// Plain JavaScript on purpose: no TypeScript loader in the measured path.
const started = performance.now();
const config = JSON.parse(process.env.OCI_VNIC_BENCH ?? "{}");
const { createOciVnic } = await import(config.entry);
const imported = performance.now();
const client = createOciVnic(config.options);
const result = await client.getAssignment(config.ip);
const done = performance.now();
process.stdout.write(
  `${JSON.stringify({
    importMs: imported - started,
    operationMs: done - imported,
    assigned: result !== undefined,
    counts: client.requestCounts(),
    maxRssKb: process.resourceUsage().maxRSS,
    sdkModulesLoaded: Object.keys(
      (await import("node:module")).createRequire(import.meta.url).cache,
    )
      .map((path) => /[\\/](oci-common|oci-core|sdk\.cjs)([\\/]|$)/.exec(path)?.[1])
      .filter((name, i, all) => name && all.indexOf(name) === i),
  })}\n`,
);
