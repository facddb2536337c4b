import { join } from "node:path";
import type { Options } from "tsup";
import { thirdPartyRecorder } from "../../tsup.notices.js";

/** What the agent bundle imports the cloud side as; `dist/cloud.cjs` sits beside it. */
const CLOUD_NET = /^\.\/cloud-net\.js$/;

/**
 * Shared by the bundles: CommonJS scripts for Node 20 with everything inlined (workspace
 * sources, zod) but, in cloud.cjs, @ocfkit/oci-vnic, which is loaded as it ships.
 */
const common: Options = {
  format: ["cjs"],
  outExtension: () => ({ js: ".cjs" }),
  target: "node20",
  platform: "node",
  minify: true,
  shims: true,
  noExternal: [/./],
};

/**
 * The agent's runtime scripts, as `pnpm build` and the tests' build make them: `launch.cjs`, `agent.cjs` (every
 * action's code, zod/mini) and `cloud.cjs` (`src/cloud-net.ts`: @ocfkit/oci-vnic, which uses
 * classic zod), which `agent.cjs` requires only when an action calls the API. Keeping the cloud
 * side out makes the script every monitor loads a tenth of the size: less to read and to
 * deserialise from the V8 code cache. `cloud-net.ts` shares no module with the rest except types,
 * so nothing is duplicated between the two; errors cross by name and code (see error-map.ts).
 */
export function agentBundles(outDir: string, packageDir = "."): Options[] {
  const tsconfig = join(packageDir, "tsconfig.build.json");
  return [
    // The launcher (src/runtime/launch.ts: quick path, code cache), what bin/ocivip.js and the
    // installed OCF launcher require: Node built-ins and the few dependency-free functions of
    // @ocfkit/ocf and @ocfkit/iproute2 it uses (tree-shaken: no zod), so a quick monitor loads
    // one small file.
    {
      ...common,
      outDir,
      tsconfig,
      entry: { launch: join(packageDir, "src", "runtime", "launch.ts") },
      treeshake: true,
      esbuildPlugins: [thirdPartyRecorder("launch")],
      esbuildOptions(options) {
        options.conditions = ["@ocfkit/source"];
      },
    },
    {
      ...common,
      outDir,
      tsconfig,
      entry: { agent: join(packageDir, "src", "cli.ts") },
      esbuildPlugins: [
        thirdPartyRecorder("agent"),
        {
          name: "ocivip-cloud-split",
          setup(build) {
            build.onResolve({ filter: CLOUD_NET }, () => ({ path: "./cloud.cjs", external: true }));
          },
        },
      ],
      esbuildOptions(options) {
        options.conditions = ["@ocfkit/source"];
        // import() becomes require(): the bundle runs as a classic script, and require() here
        // resolves ./cloud.cjs beside it (the launcher passes a require made for the bundle).
        options.supported = { ...options.supported, "dynamic-import": false };
      },
    },
    {
      ...common,
      outDir,
      tsconfig,
      entry: { cloud: join(packageDir, "src", "cloud-net.ts") },
      // @ocfkit/oci-vnic as it ships (its dist, which loads the OCI SDK itself), not its source.
      noExternal: [],
      external: ["@ocfkit/oci-vnic"],
      esbuildOptions(options) {
        options.supported = { ...options.supported, "dynamic-import": false };
      },
    },
  ];
}
