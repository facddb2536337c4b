import { defineConfig } from "tsup";

// The example agent ships as one bundled file (framework and zod/mini inlined): a cold action
// reads a single module. It is CommonJS because Node 20's ESM loader alone costs a cold process
// about 10 ms of CPU (measured by packages/ocf/bench); the library packages stay ESM-only.
// Sibling packages are bundled from their sources.
export default defineConfig({
  entry: { main: "dummy-agent/src/main.ts" },
  outDir: "dummy-agent/dist",
  format: ["cjs"],
  outExtension: () => ({ js: ".cjs" }),
  target: "node20",
  platform: "node",
  tsconfig: "tsconfig.json",
  bundle: true,
  noExternal: [/.*/],
  minify: true,
  sourcemap: false,
  clean: true,
  splitting: false,
  treeshake: true,
  esbuildOptions(options) {
    options.conditions = ["@ocfkit/source"];
  },
});
