import { describe, expect, it } from "vitest";
import { commandError } from "./context.js";
import { formatCommand } from "./errors.js";

// stderr lines captured from iproute2 6.1 under LC_ALL=C.
function classify(stderr: string, exitCode = 2) {
  return commandError(
    { stdout: "", stderr, exitCode, argv: ["ip", "-n", "ns1", "addr", "add"] },
    "add",
  );
}

describe("commandError", () => {
  it("maps known ip messages to stable codes", () => {
    expect(classify('Cannot open network namespace "x": No such file or directory', 255).code).toBe(
      "NETNS_MISSING",
    );
    expect(classify("RTNETLINK answers: Operation not permitted").code).toBe("PERMISSION_DENIED");
    expect(
      classify('setting the network namespace "x" failed: Operation not permitted', 255).code,
    ).toBe("PERMISSION_DENIED");
    expect(classify('Cannot find device "eth9"', 1).code).toBe("NO_SUCH_DEVICE");
    expect(classify('Device "eth9" does not exist.', 1).code).toBe("NO_SUCH_DEVICE");
  });

  it("keeps the command, exit status and stderr on COMMAND_FAILED", () => {
    const error = classify("Error: ipv6: IPv6 is disabled on this device.");
    expect(error.code).toBe("COMMAND_FAILED");
    expect(error.exitCode).toBe(2);
    expect(error.command).toEqual(["ip", "-n", "ns1", "addr", "add"]);
    expect(error.message).toContain(
      "ip -n ns1 addr add exited with status 2: Error: ipv6: IPv6 is disabled",
    );
  });

  it("quotes arguments a shell would split", () => {
    expect(formatCommand(["ip", "addr", "add", "label", "eth0:a b", "it's"])).toBe(
      "ip addr add label 'eth0:a b' 'it'\\''s'",
    );
  });
});
