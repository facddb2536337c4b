// Runs inside the bridge namespace (plain Node, no loader): listens on HOST:PORT and pipes every
// connection to a unix socket, a filesystem path the host-side emulator serves across network
// namespaces. Prints "ready" once listening; exits when its stdin closes.
import { connect, createServer } from "node:net";

const [host, port, socketPath] = process.argv.slice(2);

const server = createServer((inbound) => {
  const outbound = connect(socketPath);
  inbound.pipe(outbound).pipe(inbound);
  inbound.on("error", () => outbound.destroy());
  outbound.on("error", () => inbound.destroy());
});
server.listen(Number(port), host, () => process.stdout.write("ready\n"));
process.stdin.on("close", () => process.exit(0));
process.stdin.resume();
