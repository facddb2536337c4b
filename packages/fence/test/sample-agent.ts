// A fence agent whose "device" is a directory: a target is on while a file named after it exists.
// SAMPLE_FENCE_DIR names the directory; `slow_off` makes power-off take that many seconds.
import { existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as z from "zod";
import { defineFenceAgent, FenceError, fenceOption, runFenceAgentMain } from "../src/index.js";

const agent = defineFenceAgent({
  name: "fence_ocfkit_sample",
  version: "1.0.0",
  shortdesc: "Sample fence agent backed by files",
  longdesc: "Fences targets that are files in a directory: on while the file exists.",
  vendorUrl: "https://example.org",
  options: {
    device_dir: fenceOption({
      type: "string",
      valueName: "path",
      required: true,
      shortdesc: "Directory holding one file per powered-on target",
      schema: z.string().startsWith("/", { message: "must be an absolute path" }),
    }),
  },
  defaults: { power_timeout: 5, stonith_status_sleep: 0.05 },
  validate: (ctx) => {
    if (!existsSync(ctx.options.device_dir))
      throw new FenceError(
        "BAD_ARGS",
        `option "device_dir": ${ctx.options.device_dir} does not exist`,
      );
  },
  getPowerStatus: async (ctx, plug) => {
    if (!existsSync(join(ctx.options.device_dir, `${plug}.known`)))
      throw new FenceError("UNKNOWN_PLUG", `no target ${plug}`);
    return existsSync(join(ctx.options.device_dir, plug)) ? "on" : "off";
  },
  setPowerStatus: async (ctx, plug, target) => {
    const file = join(ctx.options.device_dir, plug);
    if (target === "on") writeFileSync(file, "");
    else rmSync(file, { force: true });
  },
  listPlugs: async (ctx) =>
    readdirSync(ctx.options.device_dir)
      .filter((f) => f.endsWith(".known"))
      .map((f) => f.slice(0, -".known".length))
      .map((plug) => ({
        plug,
        alias: `target ${plug}`,
        status: existsSync(join(ctx.options.device_dir, plug)) ? ("on" as const) : ("off" as const),
      })),
});

await runFenceAgentMain(agent);
