import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Options } from "tsup";
import { baseConfig } from "../../tsup.base.js";
import { thirdPartyRecorder } from "../../tsup.notices.js";

type EsbuildPlugin = NonNullable<Options["esbuildPlugins"]>[number];

/** Files injected (esbuild `inject`) into the code that inlines the SDK; see below. */
const shimFile = (name: string) => fileURLToPath(new URL(`./src/${name}`, import.meta.url));

/**
 * For bundles that inline OCI SDK code (dist/sdk.cjs; for now also ocivip's cloud.cjs): Node 20
 * has a WHATWG `fetch`, so the SDK's fetch polyfills are replaced by it. `isomorphic-fetch` only
 * installs `node-fetch` as the global `fetch` when there is none: it becomes an empty module.
 * `node-fetch` (used by the SDK's URL-based certificate supplier) becomes the global `fetch`.
 * That drops node-fetch, whatwg-url and tr46's 290 KB table from the bundle, and the loading of
 * `http`, `https` and `zlib` it forced on every process.
 * The SDK's bare `new Headers()` (request composition, federation) gets `LiteHeaders`
 * (src/sdk-headers-shim.ts): touching the global `Headers` would load all of Node's fetch
 * (undici), and oci-vnic sends the SDK's requests with Node's `http` instead.
 * The SDK's bare `console` (it prints retries and warnings) becomes one that writes to the SDK's
 * own logger hook, `LOG.logger` (src/sdk-console-shim.ts): the bundle's copy only, no global
 * `console` is touched, and an agent's stdout (OCF protocol) stays clean.
 */
export const sdkFetchShims: EsbuildPlugin = {
  name: "ocfkit-sdk-fetch-shims",
  setup(build) {
    build.initialOptions.inject = [
      ...(build.initialOptions.inject ?? []),
      shimFile("sdk-headers-shim.ts"),
      shimFile("sdk-console-shim.ts"),
    ];
    build.onResolve({ filter: /^(isomorphic-fetch|node-fetch)$/ }, (args) => ({
      path: args.path,
      namespace: "ocfkit-fetch-shim",
    }));
    build.onLoad({ filter: /.*/, namespace: "ocfkit-fetch-shim" }, (args) => ({
      contents:
        args.path === "node-fetch"
          ? "module.exports = (...args) => fetch(...args);\nmodule.exports.default = module.exports;\n"
          : "",
      loader: "js",
    }));
  },
};

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
      // zod (for the cache and metadata schemas, never in the public types) is inlined and
      // tree-shaken: importing `zod/mini` as published loads ~100 modules (every locale) in each
      // new process, ~60 ms of a depth-10 monitor; inlined, only what the schemas use remains.
      noExternal: ["zod"],
      // Explicit, so a build run from another directory (the tests') externalises it too.
      external: [/^@ocfkit\/ocf(\/|$)/],
      ...(dts ? {} : { dts: false, sourcemap: false }),
      esbuildPlugins: [
        thirdPartyRecorder("index"),
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
      esbuildPlugins: [sdkFetchShims, thirdPartyRecorder("sdk")],
      esbuildOptions(options) {
        options.legalComments = "eof";
      },
    },
  ];
}
