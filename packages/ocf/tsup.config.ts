import { defineConfig } from "tsup";
import { baseConfig } from "../../tsup.base.js";

// Three entries, one copy of each module: with splitting, `index`, `testing` and `files` share
// chunks, so an error class thrown by an agent is the same class `runAction` checks (no second
// copy per entry), and `files` (no zod) loads only the modules it needs.
export default defineConfig({
  ...baseConfig,
  entry: ["src/index.ts", "src/testing.ts", "src/files.ts"],
  splitting: true,
});
