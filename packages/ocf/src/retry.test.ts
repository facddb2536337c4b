import { describe, expect, it } from "vitest";
import { createDeadline, safetyMarginMs } from "./deadline.js";
import { DeadlineError } from "./errors.js";
import { retry } from "./retry.js";

describe("deadline", () => {
  it("keeps a safety margin below Pacemaker's timeout", () => {
    expect(safetyMarginMs(20_000)).toBe(2_000);
    expect(safetyMarginMs(120_000)).toBe(5_000);
    expect(safetyMarginMs(2_000)).toBe(500);
    expect(safetyMarginMs(600)).toBe(300);
    const deadline = createDeadline({ timeoutMs: 20_000, now: () => 1_000 });
    expect(deadline.at).toBe(19_000);
    expect(deadline.budgetMs).toBe(18_000);
  });

  it("aborts its signal with a DeadlineError", async () => {
    const deadline = createDeadline({ timeoutMs: 100, marginMs: 50 });
    await new Promise((resolve) => deadline.signal.addEventListener("abort", resolve));
    expect(deadline.signal.reason).toBeInstanceOf(DeadlineError);
    expect(deadline.expired()).toBe(true);
    expect(deadline.remainingMs()).toBe(0);
  });
});

describe("retry", () => {
  it("retries with growing, jittered delays until success", async () => {
    const delays: number[] = [];
    const deadline = createDeadline({ timeoutMs: 10_000 });
    const value = await retry(
      ({ attempt }) => {
        if (attempt < 4) throw new Error(`fail ${attempt}`);
        return attempt;
      },
      { deadline, initialDelayMs: 10, random: () => 0.5, onRetry: (_e, _a, ms) => delays.push(ms) },
    );
    expect(value).toBe(4);
    expect(delays).toEqual([5, 10, 20]);
  });

  it("never waits past the deadline: it throws the last error instead", async () => {
    let clock = 0;
    const deadline = createDeadline({ timeoutMs: 1_000, marginMs: 0, now: () => clock });
    const waits: number[] = [];
    let attempts = 0;
    await expect(
      retry(
        () => {
          attempts++;
          clock += 300; // each attempt takes 300 ms of the 1000 ms budget
          throw new Error("still failing");
        },
        {
          deadline,
          initialDelayMs: 100,
          random: () => 0.5,
          onRetry: (_error, _attempt, delayMs) => waits.push(delayMs),
        },
      ),
    ).rejects.toThrow("still failing");
    // t=300: wait 50 (700 left); t=600: wait 100 (400 left); t=900: 200 > 100 left, so give up.
    expect(waits).toEqual([50, 100]);
    expect(attempts).toBe(3);
  });

  it("stops at attempts and on errors retryIf refuses", async () => {
    const deadline = createDeadline({ timeoutMs: 10_000 });
    let calls = 0;
    const failing = () => {
      calls++;
      throw new Error("no");
    };
    await expect(retry(failing, { deadline, attempts: 3, initialDelayMs: 1 })).rejects.toThrow(
      "no",
    );
    expect(calls).toBe(3);
    calls = 0;
    await expect(retry(failing, { deadline, retryIf: () => false })).rejects.toThrow("no");
    expect(calls).toBe(1);
  });
});
