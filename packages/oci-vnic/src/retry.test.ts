import { describe, expect, it } from "vitest";
import { createDeadline, raceDeadline, sleep } from "./deadline.js";
import {
  type AttemptRecord,
  classifyFailure,
  parseRetryAfter,
  policyHintFor,
} from "./error-map.js";
import { OciVnicError } from "./errors.js";
import { backoffDelay, type RetryPolicy, retryableFor, runWithRetries } from "./retry.js";

const policy: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 10,
  maxDelayMs: 40,
  attemptTimeoutMs: 1000,
};
const noPolicy = { principal: "instance", compartmentId: "ocid1.compartment.oc1..c" } as const;

function serviceError(statusCode: number, serviceCode: string, opcRequestId = "REQ-1") {
  return { statusCode, serviceCode, message: `${serviceCode} happened`, opcRequestId };
}

describe("error classification", () => {
  const d = () => createDeadline(undefined, 10_000);
  const cases: [number, string, string, string][] = [
    [401, "NotAuthenticated", "NOT_AUTHENTICATED", "none"],
    [404, "NotAuthorizedOrNotFound", "NOT_AUTHORIZED_OR_NOT_FOUND", "none"],
    [409, "Conflict", "CONFLICT", "none"],
    [409, "IncorrectState", "CONFLICT", "rejected"],
    [400, "LimitExceeded", "LIMIT_EXCEEDED", "none"],
    [400, "InvalidParameter", "INVALID_PARAMETER", "none"],
    [429, "TooManyRequests", "THROTTLED", "rejected"],
    [500, "InternalServerError", "SERVICE_UNAVAILABLE", "unknown"],
    [503, "ServiceUnavailable", "SERVICE_UNAVAILABLE", "unknown"],
    [418, "Teapot", "UNEXPECTED", "none"],
  ];
  it.each(cases)("HTTP %i %s -> %s (%s)", (status, serviceCode, code, transience) => {
    const c = classifyFailure(
      serviceError(status, serviceCode),
      {},
      d(),
      "ListPrivateIps",
      noPolicy,
    );
    expect(c.error.code).toBe(code);
    expect(c.transience).toBe(transience);
    expect(c.error.opcRequestId).toBe("REQ-1");
    expect(c.error.message).toContain("opc-request-id REQ-1");
    expect(c.error.cause).toBeDefined();
  });

  it("puts the IAM statement that fixes a 404 in the error", () => {
    const c = classifyFailure(
      serviceError(404, "NotAuthorizedOrNotFound"),
      {},
      d(),
      "GetVnic",
      noPolicy,
    );
    expect(c.error.policyHint).toBe(
      "Allow dynamic-group <a dynamic group matching this instance> to use virtual-network-family in compartment id ocid1.compartment.oc1..c",
    );
    expect(c.error.message).toContain(c.error.policyHint);
    expect(policyHintFor({ principal: "user", compartmentId: undefined })).toMatch(/^Allow group/);
  });

  it("reads Retry-After from the attempt record", () => {
    const record: AttemptRecord = { retryAfter: "2" };
    const c = classifyFailure(serviceError(429, "TooManyRequests"), record, d(), "X", noPolicy);
    expect(c.retryAfterMs).toBe(2000);
    expect(parseRetryAfter("0.5")).toBe(500);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(parseRetryAfter("soon")).toBeUndefined();
  });

  it("tells refused connections (safe to retry a write) from resets (outcome unknown)", () => {
    const refused = {
      transportError: Object.assign(new TypeError("fetch failed"), {
        cause: { code: "ECONNREFUSED" },
      }),
    };
    const reset = {
      transportError: Object.assign(new TypeError("fetch failed"), {
        cause: { code: "ECONNRESET" },
      }),
    };
    expect(
      classifyFailure({ message: "fetch failed" }, refused, d(), "X", noPolicy).transience,
    ).toBe("rejected");
    const r = classifyFailure({ message: "fetch failed" }, reset, d(), "X", noPolicy);
    expect(r.transience).toBe("unknown");
    expect(r.error.code).toBe("SERVICE_UNAVAILABLE");
    expect(r.error.message).toContain("ECONNRESET");
    // Node's http puts the code on the error itself (our transport); fetch on its cause.
    const nodeRefused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), {
      code: "ECONNREFUSED",
    });
    const nodeReset = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    expect(
      classifyFailure(nodeRefused, { transportError: nodeRefused }, d(), "X", noPolicy).transience,
    ).toBe("rejected");
    expect(
      classifyFailure(nodeReset, { transportError: nodeReset }, d(), "X", noPolicy).transience,
    ).toBe("unknown");
  });

  it("reports ABORTED and TIMEOUT before anything else", () => {
    const ac = new AbortController();
    ac.abort();
    const aborted = createDeadline({ signal: ac.signal }, 10_000);
    expect(classifyFailure(serviceError(500, "X"), {}, aborted, "X", noPolicy).error.code).toBe(
      "ABORTED",
    );
    const past = createDeadline({ deadline: Date.now() - 1 }, 10_000);
    expect(classifyFailure(serviceError(500, "X"), {}, past, "X", noPolicy).error.code).toBe(
      "TIMEOUT",
    );
  });
});

describe("retries", () => {
  const classify = (thrown: unknown, record: AttemptRecord) =>
    classifyFailure(thrown, record, createDeadline(undefined, 10_000), "Op", noPolicy);

  it("retries transient read failures, then succeeds", async () => {
    let calls = 0;
    const result = await runWithRetries({
      operation: "Op",
      deadline: createDeadline(undefined, 5000),
      policy,
      retryWhen: retryableFor("read"),
      classify,
      attempt: async () => {
        calls++;
        if (calls < 3) throw serviceError(503, "ServiceUnavailable");
        return "ok";
      },
    });
    expect(result).toBe("ok");
    expect(calls).toBe(3);
  });

  it("does not retry a write whose outcome is unknown, but retries a throttled one", async () => {
    let calls = 0;
    const run = (status: number, code: string) =>
      runWithRetries({
        operation: "Op",
        deadline: createDeadline(undefined, 5000),
        policy,
        retryWhen: retryableFor("write"),
        classify,
        attempt: async () => {
          calls++;
          throw serviceError(status, code);
        },
      });
    await expect(run(500, "InternalError")).rejects.toMatchObject({ code: "SERVICE_UNAVAILABLE" });
    expect(calls).toBe(1);
    calls = 0;
    await expect(run(429, "TooManyRequests")).rejects.toMatchObject({ code: "THROTTLED" });
    expect(calls).toBe(policy.maxAttempts);
  });

  it("never waits past the deadline: a long Retry-After ends the call with THROTTLED now", async () => {
    const started = Date.now();
    let calls = 0;
    await expect(
      runWithRetries({
        operation: "Op",
        deadline: createDeadline({ timeoutMs: 300 }, 10_000),
        policy,
        retryWhen: retryableFor("read"),
        classify,
        attempt: async (_signal, record) => {
          calls++;
          record.retryAfter = "30";
          throw serviceError(429, "TooManyRequests");
        },
      }),
    ).rejects.toMatchObject({ code: "THROTTLED", retryAfterMs: 30_000 });
    expect(calls).toBe(1);
    expect(Date.now() - started).toBeLessThan(250);
  });

  it("abandons a hung attempt at the attempt timeout and retries it", async () => {
    let calls = 0;
    const result = await runWithRetries({
      operation: "Op",
      deadline: createDeadline(undefined, 5000),
      policy: { ...policy, attemptTimeoutMs: 50 },
      retryWhen: retryableFor("read"),
      classify,
      attempt: (signal) => {
        calls++;
        if (calls > 1) return Promise.resolve("second");
        return new Promise((_, reject) =>
          signal.addEventListener("abort", () => reject(signal.reason)),
        );
      },
    });
    expect(result).toBe("second");
  });

  it("backs off exponentially with jitter, capped", () => {
    expect(backoffDelay(policy, 0, () => 0)).toBe(5);
    expect(backoffDelay(policy, 0, () => 1)).toBe(10);
    expect(backoffDelay(policy, 10, () => 1)).toBe(40);
  });
});

describe("deadlines", () => {
  it("validates options", () => {
    expect(() => createDeadline({ timeoutMs: -1 }, 1000)).toThrow(/invalid timeoutMs/);
    expect(() => createDeadline({ deadline: Number.NaN }, 1000)).toThrow(/invalid deadline/);
    const d = createDeadline({ deadline: new Date(Date.now() + 5000), timeoutMs: 100 }, 60_000);
    expect(d.remaining()).toBeLessThanOrEqual(100);
  });

  it("sleep refuses to outlive the deadline and stops on abort", async () => {
    await expect(sleep(500, createDeadline({ timeoutMs: 100 }, 1000), "Op")).rejects.toMatchObject({
      code: "TIMEOUT",
    });
    const ac = new AbortController();
    const p = sleep(1000, createDeadline({ signal: ac.signal }, 5000), "Op");
    ac.abort();
    await expect(p).rejects.toMatchObject({ code: "ABORTED" });
  });

  it("raceDeadline gives up on work that cannot be aborted", async () => {
    const started = Date.now();
    const never = new Promise<never>(() => undefined);
    await expect(
      raceDeadline(never, createDeadline({ timeoutMs: 80 }, 1000), "Federation"),
    ).rejects.toBeInstanceOf(OciVnicError);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe("raceDeadline after the deadline", () => {
  it("still handles the abandoned promise (no unhandled rejection)", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const past = createDeadline({ deadline: Date.now() - 1 }, 1000);
      const failing = new Promise((_, reject) => setTimeout(() => reject({ code: -1 }), 10));
      await expect(raceDeadline(failing, past, "Federation")).rejects.toMatchObject({
        code: "TIMEOUT",
      });
      await new Promise((r) => setTimeout(r, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});
