// Brings a cluster up, prints its plan as one JSON line, then waits to be interrupted.
import { createFailoverLab } from "../../src/index.js";

const lab = await createFailoverLab({ nodes: 2, tokenMs: 1000 });
process.stdout.write(
  `${JSON.stringify({ runDir: lab.cluster.plan.runDir, netns: lab.cluster.plan.bridge.netns })}\n`,
);
setInterval(() => undefined, 1000);
