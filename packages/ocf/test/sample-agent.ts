import { z } from "zod";
import { defineAgent, GenericError, OcfExit, ocfParam } from "../src/index.js";

/** An agent exercising every annotation, used by the tests. */
export const sampleAgent = defineAgent({
  name: "sample",
  version: "2.3.4",
  shortdesc: "Sample agent <for> tests & checks",
  longdesc: "Exercises every parameter annotation the framework supports.",
  parameters: z.object({
    ip: ocfParam(z.ipv4(), { shortdesc: "Floating IP", unique: true }),
    count: ocfParam(z.int().min(1), { shortdesc: "Count", default: 3, reloadable: true }),
    mode: ocfParam(z.enum(["fast", "safe"]).optional(), {
      shortdesc: "Mode",
      longdesc: "How to work.",
      deprecated: { replacedWith: "strategy", desc: "Use strategy." },
    }),
    strategy: ocfParam(z.enum(["fast", "safe"]).default("safe"), { shortdesc: "Strategy" }),
    flag: ocfParam(z.boolean().optional(), { shortdesc: "A flag" }),
    vnic: ocfParam(z.string().optional(), { shortdesc: "VNIC", uniqueGroup: "where" }),
    nic: ocfParam(z.string().optional(), { shortdesc: "NIC", uniqueGroup: "where" }),
    token: ocfParam(z.string().optional(), { shortdesc: "Token", secret: true }),
    note: z.string().describe("A note from .describe()").optional(),
  }),
  actions: {
    start: (ctx) => {
      ctx.log.info(`start ip=${ctx.params.ip} token=${ctx.params.token ?? "-"}`);
    },
    stop: () => undefined,
    monitor: {
      timeout: "30s",
      interval: 15,
      more: [{ timeout: "60s", interval: "60s", depth: 10 }],
      run: (ctx) =>
        ctx.isProbe
          ? { exitCode: OcfExit.NOT_RUNNING, reason: "probe: nothing here" }
          : OcfExit.SUCCESS,
    },
    promote: () => {
      throw new GenericError("cannot promote");
    },
    notify: () => 42,
    "reload-agent": () => undefined,
    demote: async (ctx) => {
      await new Promise((resolve) => setTimeout(resolve, 5_000).unref());
      return ctx.isProbe ? 0 : 0;
    },
  },
});
