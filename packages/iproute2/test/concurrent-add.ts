// Child process for concurrency.test.ts: waits until a shared start time, then adds one address.
import { createIproute2 } from "../src/index.js";

const [netns, dev, address, prefix, startAt] = process.argv.slice(2);
const ipr = createIproute2({ netns: netns ?? "" });
const wait = Number(startAt) - Date.now();
if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
try {
  const result = await ipr.addAddress({
    dev: dev ?? "",
    address: address ?? "",
    prefixLength: Number(prefix),
  });
  console.log(JSON.stringify(result));
} catch (error) {
  console.log(JSON.stringify({ error: (error as { code?: string }).code ?? String(error) }));
}
