import { spawn } from "node:child_process";

const settleMs = 300;

/** A running tcpdump inside a test namespace. */
export interface Capture {
  /** Waits for stragglers, stops tcpdump (by its PID) and returns the packet lines it printed. */
  stop(): Promise<string[]>;
}

/**
 * Starts `tcpdump -e -n -l` on `dev` inside `netns` with a pcap `filter`; resolves once tcpdump
 * says it is listening, so no packet sent afterwards is missed.
 */
export function startCapture(netns: string, dev: string, filter: string): Promise<Capture> {
  const child = spawn(
    "ip",
    ["netns", "exec", netns, "tcpdump", "--immediate-mode", "-i", dev, "-e", "-n", "-l", filter],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
  });
  const closed = new Promise<void>((resolve) => child.once("close", () => resolve()));
  const stop = async (): Promise<string[]> => {
    // Packets sent just before stop() may still be on their way to tcpdump.
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    child.kill("SIGINT");
    await closed;
    return stdout.split("\n").filter((line) => line.trim() !== "");
  };
  return new Promise<Capture>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`tcpdump did not start listening within 10 s: ${stderr}`));
    }, 10_000);
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
      if (stderr.includes("listening on")) {
        clearTimeout(timer);
        resolve({ stop });
      }
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
