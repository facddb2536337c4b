// Runs inside the client namespace (plain Node, no loader): opens a TCP connection to HOST:PORT
// every INTERVAL ms and prints one JSON line per attempt. A refused connection is a reply too:
// the kernel that owns the address answered with a RST. Exits when its stdin closes.
import { connect } from "node:net";

const [host, port, intervalMs, timeoutMs] = process.argv.slice(2);
const interval = Number(intervalMs);
const timeout = Number(timeoutMs);
let stopped = false;

function attempt() {
  return new Promise((resolve) => {
    const t = Date.now();
    const socket = connect({ host, port: Number(port) });
    const finish = (reply, how) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ t, ms: Date.now() - t, reply, how });
    };
    const timer = setTimeout(() => finish(false, "timeout"), timeout);
    socket.once("connect", () => finish(true, "connected"));
    socket.once("error", (error) => finish(error.code === "ECONNREFUSED", error.code ?? "error"));
  });
}

process.stdin.on("close", () => {
  stopped = true;
  process.exit(0);
});
process.stdin.resume();

while (!stopped) {
  const result = await attempt();
  process.stdout.write(`${JSON.stringify(result)}\n`);
  const wait = interval - (Date.now() - result.t);
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}
