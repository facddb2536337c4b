import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Siblings resolve to their src/ through the "@ocfkit/source" export condition: no build needed.
const sourceConditions = ["@ocfkit/source", "node", "import", "module", "default"];

const projectRoots = [
  ...readdirSync("packages").map((name) => `packages/${name}`),
  "examples",
  "e2e",
  "release",
].filter((dir) => existsSync(`${dir}/package.json`));

export default defineConfig({
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions, externalConditions: ["@ocfkit/source"] } },
  test: {
    globalSetup: [fileURLToPath(new URL("./scripts/test-global-setup.ts", import.meta.url))],
    // Every worker refuses sockets to anything but loopback and TEST-NET (the network rule).
    setupFiles: [fileURLToPath(new URL("./scripts/network-guard.ts", import.meta.url))],
    // In CI a JSON report lets .ci/run print one plain "N passed, N failed" closing line.
    reporters: process.env.CI ? ["default", "json"] : ["default"],
    outputFile: { json: "test-results/vitest.json" },
    restoreMocks: true,
    clearMocks: true,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      ...projectRoots.map((root) => ({
        extends: true as const,
        test: {
          name: root.replace(/^packages\//, ""),
          root,
          include: ["src/**/*.test.ts", "test/**/*.test.ts", "**/*.test.ts"],
          exclude: ["**/node_modules/**", "**/dist/**"],
          benchmark: { include: ["bench/**/*.bench.ts", "src/**/*.bench.ts"] },
        },
      })),
      // The repository's own scripts: the system tools list behind setup.sh and the global setup.
      { extends: true, test: { name: "scripts", root: "scripts", include: ["*.test.ts"] } },
    ],
  },
});
