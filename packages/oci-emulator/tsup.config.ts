import { defineConfig } from "tsup";
import { baseConfig } from "../../tsup.base.js";

// cli.ts starts with a `#!/usr/bin/env node` line, which tsup keeps and marks executable.
export default defineConfig({ ...baseConfig, entry: ["src/index.ts", "src/cli.ts"] });
