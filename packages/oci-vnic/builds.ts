import { resolve } from "node:path";
import type { Options } from "tsup";
import { baseConfig, sdkFetchShims } from "../../tsup.base.js";

/** The module that loads the SDK parts; in dist, src/sdk-load-dist.ts requires `sdk.cjs`. */
const SDK_LOAD = /^\.\/sdk-load\.js$/;

/**
 * The package's two outputs, as `pnpm build` makes them (tsup.config.ts) and the tests rebuild
 * them (test/build.ts, without declarations).
 */
export function libraryBuilds(packageDir = ".", outDir = "dist", dts = true): Options[] {
  const at = (path: string) => `${packageDir}/${path}`;
  return [
    // The library: code splitting keeps lazily imported modules (the zod schemas, the engine)
    // out of the entry chunk, so importing the package stays cheap.
    {
      ...baseConfig,
      entry: [at("src/index.ts")],
      tsconfig: at("tsconfig.build.json"),
      outDir,
      splitting: true,
      ...(dts ? {} : { dts: false, sourcemap: false }),
      esbuildPlugins: [
        {
          name: "oci-vnic-sdk-bundle",
          setup(build) {
            build.onResolve({ filter: SDK_LOAD }, () => ({
              path: resolve(packageDir, "src/sdk-load-dist.ts"),
            }));
          },
        },
      ],
    },
    // The SDK parts (src/sdk-parts.ts) with everything they require, from the pinned oci-common
    // and oci-core, in one CommonJS file: a new process reads one file instead of resolving and
    // compiling ~150 modules (≈ 80 ms instead of ≈ 270 ms). Licence comments are kept.
    {
      ...baseConfig,
      entry: { sdk: at("src/sdk-parts.ts") },
      tsconfig: at("tsconfig.build.json"),
      outDir,
      format: ["cjs"],
      outExtension: () => ({ js: ".cjs" }),
      dts: false,
      clean: false,
      sourcemap: false,
      noExternal: [/./],
      minify: true,
      keepNames: true,
      esbuildPlugins: [sdkFetchShims],
      esbuildOptions(options) {
        options.legalComments = "eof";
      },
    },
  ];
}
