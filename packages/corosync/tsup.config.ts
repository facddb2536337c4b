import { defineConfig } from "tsup";
import { baseConfig } from "../../tsup.base.js";

export default defineConfig([
  { ...baseConfig },
  {
    ...baseConfig,
    entry: ["src/cli.ts"],
    dts: false,
    clean: false,
    banner: { js: "#!/usr/bin/env node" },
  },
]);
