import type { Options } from "tsup";

/** The build every package shares: ESM only, declarations, Node 20, no bundled dependencies. */
export const baseConfig: Options = {
  entry: ["src/index.ts"],
  format: ["esm"],
  target: "node20",
  platform: "node",
  dts: { compilerOptions: { customConditions: [] } },
  tsconfig: "tsconfig.build.json",
  sourcemap: true,
  clean: true,
  splitting: false,
  treeshake: true,
};
