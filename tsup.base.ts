import { fileURLToPath } from "node:url";
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

type EsbuildPlugin = NonNullable<Options["esbuildPlugins"]>[number];

/** @ocfkit/oci-vnic's `Headers` for SDK code (see the plugin below). */
const sdkHeadersShim = fileURLToPath(
  new URL("./packages/oci-vnic/src/sdk-headers-shim.ts", import.meta.url),
);

/**
 * For bundles that inline OCI SDK code (oci-vnic's dist/sdk.cjs, ocivip's dist/cloud.cjs): Node
 * 20 has a WHATWG `fetch`, so the SDK's fetch polyfills are replaced by it. `isomorphic-fetch`
 * only installs `node-fetch` as the global `fetch` when there is none: it becomes an empty module.
 * `node-fetch` (used by the SDK's URL-based certificate supplier) becomes the global `fetch`.
 * That drops node-fetch, whatwg-url and tr46's 290 KB table from the bundle, and the loading of
 * `http`, `https` and `zlib` it forced on every process.
 * The SDK's bare `new Headers()` (request composition, federation) gets oci-vnic's `LiteHeaders`
 * (esbuild `inject`): touching the global `Headers` would load all of Node's fetch (undici), and
 * oci-vnic sends the SDK's requests with Node's `http` instead.
 */
export const sdkFetchShims: EsbuildPlugin = {
  name: "ocfkit-sdk-fetch-shims",
  setup(build) {
    build.initialOptions.inject = [...(build.initialOptions.inject ?? []), sdkHeadersShim];
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
