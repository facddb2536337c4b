import { defineConfig } from "tsup";
import { baseConfig } from "../../tsup.base.js";

// Three outputs: the library entry (ESM + types); the agent bundled into ONE classic script
// (dist/agent.cjs: every @ocfkit package and zod inlined, the OCI SDK left out and required only
// by actions that call the API) so the launcher can load it with a V8 code cache; and that tiny
// launcher (dist/launch.cjs) which bin/ocivip.js and the installed OCF launcher load.
export default defineConfig([
  { ...baseConfig },
  {
    ...baseConfig,
    entry: { agent: "src/cli.ts" },
    format: ["cjs"],
    outExtension: () => ({ js: ".cjs" }),
    dts: false,
    clean: false,
    sourcemap: false,
    minify: true,
    splitting: false,
    shims: true,
    noExternal: [/^@ocfkit\//, "zod"],
    external: ["oci-core", "oci-common"],
    esbuildOptions(options) {
      options.conditions = ["@ocfkit/source"];
      // import() of the SDK becomes require(): the bundle runs as a classic script.
      options.supported = { ...options.supported, "dynamic-import": false };
    },
  },
  // CommonJS too, so the installed launcher can require() it: no ESM loader start-up per action.
  {
    ...baseConfig,
    entry: { launch: "src/launch.ts" },
    format: ["cjs"],
    outExtension: () => ({ js: ".cjs" }),
    shims: true,
    dts: false,
    clean: false,
    sourcemap: false,
  },
]);
