#!/usr/bin/env node
import * as nodeModule from "node:module";

// Node >= 22.1 caches compiled code between runs (the OCI SDK included); launch() adds a V8 code
// cache for the agent bundle itself, which also works on Node 20.
nodeModule.enableCompileCache?.();
const { launch } = nodeModule.createRequire(import.meta.url)("../dist/launch.cjs");
// Exit at once: a request the deadline abandoned must not keep the process alive.
process.exit(await launch(process.argv.slice(2)));
