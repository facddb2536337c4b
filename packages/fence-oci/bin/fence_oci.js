#!/usr/bin/env node
import * as nodeModule from "node:module";

// Node >= 22.1 caches compiled code between runs; every fencing action is a new process.
nodeModule.enableCompileCache?.();
const { main } = await import("../dist/cli.js");
process.exit(await main(process.argv.slice(2)));
