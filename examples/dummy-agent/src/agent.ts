import { rmSync, statSync } from "node:fs";
import {
  type ActionContext,
  defineAgent,
  GenericError,
  OcfExit,
  ocfParam,
  type ParamsOf,
  sleep,
  writeFileAtomic,
} from "@ocfkit/ocf";
// zod/mini keeps the bundled agent small, so a cold `monitor` starts almost as fast as bare node.
import * as z from "zod/mini";

/** The dummy agent's parameters: where to keep its state, and how long each action sleeps. */
export const dummyParameters = z.object({
  state: ocfParam(z.optional(z.string().check(z.startsWith("/", "must be an absolute path"))), {
    shortdesc: "State file",
    longdesc:
      "Location of the file that records that the resource is running. " +
      "Default: $HA_RSCTMP/dummy-agent-<resource instance>.state.",
    unique: true,
  }),
  op_sleep: ocfParam(z._default(z.int().check(z.gte(0, "must be 0 or more")), 0), {
    shortdesc: "Seconds each action sleeps",
    longdesc: "Every start, stop and monitor sleeps this many seconds first, to exercise timeouts.",
  }),
});

type Context = ActionContext<ParamsOf<typeof dummyParameters>>;

function stateFile(ctx: Context): string {
  return ctx.params.state ?? ctx.state.path("state");
}

// Synchronous fs on purpose: one tiny call, and node:fs/promises would slow a cold start.
function isRunning(ctx: Context): boolean {
  try {
    return statSync(stateFile(ctx), { throwIfNoEntry: false })?.isFile() ?? false;
  } catch (error) {
    throw new GenericError(`cannot check state file ${stateFile(ctx)}`, { cause: error });
  }
}

async function opSleep(ctx: Context): Promise<void> {
  if (ctx.params.op_sleep > 0) await sleep(ctx.params.op_sleep * 1000, ctx.signal);
}

async function start(ctx: Context): Promise<void> {
  await opSleep(ctx);
  if (isRunning(ctx)) return;
  await writeFileAtomic(stateFile(ctx), `started ${new Date().toISOString()}\n`);
  ctx.log.info(`started (state file ${stateFile(ctx)})`);
}

async function stop(ctx: Context): Promise<void> {
  await opSleep(ctx);
  try {
    rmSync(stateFile(ctx), { force: true });
  } catch (error) {
    throw new GenericError(`cannot remove state file ${stateFile(ctx)}`, { cause: error });
  }
  ctx.log.info("stopped");
}

/**
 * An OCF agent equivalent to `ocf:heartbeat:Dummy`: it runs nothing and only records, in a state
 * file, whether it is started. A template and a test subject for agents built on `@ocfkit/ocf`.
 */
export const dummyAgent = defineAgent({
  name: "dummy-agent",
  version: "1.0.0",
  shortdesc: "Example stateless resource agent",
  longdesc:
    "Does nothing but keep track, in a state file, of whether it is running. " +
    "It shows how to write an OCF resource agent with @ocfkit/ocf.",
  parameters: dummyParameters,
  actions: {
    start,
    stop,
    migrate_to: (ctx) => {
      ctx.log.info(`migrating to ${ctx.env.meta.migrateTarget ?? "an unnamed node"}`);
      return stop(ctx);
    },
    migrate_from: (ctx) => {
      ctx.log.info(`migrating from ${ctx.env.meta.migrateSource ?? "an unnamed node"}`);
      return start(ctx);
    },
    monitor: {
      timeout: "20s",
      interval: "10s",
      run: async (ctx) => {
        await opSleep(ctx);
        if (isRunning(ctx)) return OcfExit.SUCCESS;
        return { exitCode: OcfExit.NOT_RUNNING, reason: `state file ${stateFile(ctx)} is absent` };
      },
    },
    "reload-agent": (ctx) => {
      ctx.log.info("reloaded parameters");
    },
  },
});
