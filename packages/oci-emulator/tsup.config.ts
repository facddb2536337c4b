import { readFileSync } from "node:fs";
import { defineConfig } from "tsup";
import { baseConfig } from "../../tsup.base.js";

// `oci-emulator --version` prints package.json's version, fixed into the build.
const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));

// cli.ts starts with a `#!/usr/bin/env node` line, which tsup keeps and marks executable.
export default defineConfig({
  ...baseConfig,
  entry: ["src/index.ts", "src/cli.ts"],
  define: { __OCI_EMULATOR_VERSION__: JSON.stringify(version) },
});
