import { readFileSync } from "node:fs";
import { defineConfig, type Options } from "tsup";
import { baseConfig } from "../../tsup.base.js";
import { agentBundles } from "./bundles.js";

// Four outputs: the library entry (ESM + types); the agent bundled into classic scripts the
// launcher loads with a V8 code cache (dist/agent.cjs: every @ocfkit package and zod/mini
// inlined; dist/cloud.cjs: the cloud side, @ocfkit/oci-vnic and its zod, required only by actions
// that call the API, which also load the OCI SDK); and that tiny launcher (dist/launch.cjs) which
// bin/ocivip.js and the installed OCF launcher load.
const bundles: Options[] = agentBundles("dist").map((bundle) => ({
  ...baseConfig,
  ...bundle,
  dts: false,
  clean: false,
  sourcemap: false,
  splitting: false,
}));

// `ocivip --version` and the meta-data show package.json's version, fixed into every output.
const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));
const define = { __OCIVIP_VERSION__: JSON.stringify(version) };

export default defineConfig(
  [{ ...baseConfig }, ...bundles].map((options) => ({
    ...options,
    define: { ...options.define, ...define },
  })),
);
