import * as ocf from "@ocfkit/ocf";
import { expect, it } from "vitest";

it("resolves the package through its source condition", () => {
  expect(typeof ocf).toBe("object");
});
