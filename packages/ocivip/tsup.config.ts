import { defineConfig } from "tsup";
import { baseConfig } from "../../tsup.base.js";

// Two outputs: the library entry (index, with types), and the agent bundled into one file (cli)
// with every @ocfkit package and zod inlined, so a cold action reads one file. The OCI SDK stays
// out of the first chunk: @ocfkit/oci-vnic imports it lazily, only actions that call the API load it.
export default defineConfig([
  { ...baseConfig },
  {
    ...baseConfig,
    entry: { cli: "src/cli.ts" },
    dts: false,
    clean: false,
    sourcemap: false,
    minify: true,
    splitting: true,
    noExternal: [/^@ocfkit\//, "zod"],
    external: ["oci-core", "oci-common"],
    esbuildOptions(options) {
      options.conditions = ["@ocfkit/source"];
    },
  },
]);
