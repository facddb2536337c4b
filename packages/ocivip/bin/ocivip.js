#!/usr/bin/env node
import { createRequire } from "node:module";

// The launcher (dist/launch.cjs) loads the agent with a V8 code cache kept in the resource's
// private directory (see docs/ocivip-runtime.md).
const { launch } = createRequire(import.meta.url)("../dist/launch.cjs");
// Exit at once: a request the deadline abandoned must not keep the process alive.
process.exit(await launch(process.argv.slice(2)));
