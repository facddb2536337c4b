import { readFileSync } from "node:fs";
import { defineConfig } from "tsup";
import { baseConfig } from "../../tsup.base.js";

// `ocfkit-corosync --version` prints package.json's version, fixed into the build.
const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));
const define = { __OCFKIT_COROSYNC_VERSION__: JSON.stringify(version) };

export default defineConfig([
  { ...baseConfig, define },
  {
    ...baseConfig,
    define,
    entry: ["src/cli.ts"],
    dts: false,
    clean: false,
    banner: { js: "#!/usr/bin/env node" },
  },
]);
