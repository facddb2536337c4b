import { defineConfig } from "tsup";
import { baseConfig } from "../../tsup.base.js";

// Two entries, one copy of each module: with splitting, `index` and `testing` share chunks, so an
// error class thrown by an agent is the same class `runAction` checks (no second copy per entry).
export default defineConfig({
  ...baseConfig,
  entry: ["src/index.ts", "src/testing.ts"],
  splitting: true,
});
