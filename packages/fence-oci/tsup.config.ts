import { defineConfig } from "tsup";
import { baseConfig } from "../../tsup.base.js";

// The library entry and the command (bin/fence_oci.js and the installed launcher load dist/cli.js).
export default defineConfig({ ...baseConfig, entry: ["src/index.ts", "src/cli.ts"] });
