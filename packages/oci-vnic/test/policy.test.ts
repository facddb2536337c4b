import { defaultScenario } from "@ocfkit/oci-emulator";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Harness, startHarness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ scenario: { ...defaultScenario(), grants: [] } });
});
afterAll(async () => h?.stop());

it("missing IAM policy: NOT_AUTHORIZED_OR_NOT_FOUND with the statement that fixes it", async () => {
  const client = h.client("node1");
  const instance = await client.instance();
  const err = await client.getAssignment("192.0.2.100").catch((e: unknown) => e);
  expect(err).toMatchObject({
    code: "NOT_AUTHORIZED_OR_NOT_FOUND",
    status: 404,
    opcRequestId: expect.any(String),
  });
  const hint = (err as { policyHint: string }).policyHint;
  expect(hint).toBe(
    `Allow dynamic-group <a dynamic group matching this instance> to use virtual-network-family in compartment id ${instance.compartmentId}`,
  );
  expect((err as Error).message).toContain(hint);
  expect((err as Error).message).not.toMatch(/BEGIN|PRIVATE KEY|ST\$/);
});
