import { defineConfig } from "tsup";
import { baseConfig } from "../../tsup.base.js";

// Code splitting keeps lazily imported modules (the zod schemas) out of the entry chunk, so
// importing the package stays cheap; the SDK is external and imported dynamically anyway.
export default defineConfig({ ...baseConfig, splitting: true });
