// vitest setupFiles: every test worker runs under the network rule (see network-rule.ts).
import { afterAll } from "vitest";
import { installNetworkGuard, takeRefusals } from "./network-rule.js";

installNetworkGuard();

// A refused connection fails its test file even when the code under test caught the error.
afterAll(() => {
  const refused = takeRefusals();
  if (refused.length > 0) {
    throw new Error(
      `network rule: this file tried to connect outside the lab:\n  ${refused.join("\n  ")}`,
    );
  }
});
