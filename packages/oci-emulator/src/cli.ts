#!/usr/bin/env node
import { runCli } from "./cli-main.js";

const status = await runCli(process.argv.slice(2), {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  onStop: (stop) => {
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
  },
});
process.exitCode = status;
