import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { listNamespaces, namespacePrefix, sweepStaleRuns } from "../src/index.js";
import { isAlive, pidsInMountNamespace } from "../src/node-process.js";
import { writeRunRecord } from "../src/teardown.js";

const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0)) child.kill("SIGKILL");
});

describe("teardown", () => {
  it("sweeps a run whose owner died: its namespaces and helper processes go", () => {
    const baseDir = mkdtempSync(join(tmpdir(), "ocfk-sweep-"));
    const runDir = join(baseDir, "dead01");
    mkdirSync(runDir);
    const netns = `${namespacePrefix}dead01-br`;
    spawnSync("ip", ["netns", "add", netns]);
    const helper = spawn("sleep", ["60"], { stdio: "ignore" });
    started.push(helper);
    const deadOwner = spawnSync("true").pid;
    writeRunRecord(runDir, {
      ownerPid: deadOwner,
      netns: [netns],
      holders: [],
      helperPids: [helper.pid ?? 0],
    });
    // A live run (ours) is never swept.
    const liveDir = join(baseDir, "live01");
    mkdirSync(liveDir);
    writeRunRecord(liveDir, { ownerPid: process.pid, netns: [], holders: [], helperPids: [] });

    expect(sweepStaleRuns(baseDir)).toBe(1);
    expect(listNamespaces(netns)).toEqual([]);
    expect(readdirSync(baseDir)).toEqual(["live01"]);
    return new Promise<void>((resolve) => {
      helper.once("exit", (_code, signal) => {
        expect(signal).toBe("SIGKILL");
        resolve();
      });
    });
  });

  it("Ctrl-C (SIGINT) of a process holding a cluster leaves nothing behind", async () => {
    const tsx = fileURLToPath(new URL("../../node_modules/.bin/tsx", import.meta.url));
    const script = fileURLToPath(new URL("./helpers/cluster-until-signal.ts", import.meta.url));
    const child = spawn(tsx, ["--conditions=@ocfkit/source", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    started.push(child);
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once("line", resolve);
      child.once("exit", (code) => reject(new Error(`helper exited early with ${code}`)));
    });
    const { runDir, netns } = JSON.parse(line) as { runDir: string; netns: string };
    const prefix = netns.replace(/-br$/, "-");
    expect(listNamespaces(prefix)).toHaveLength(4);
    const record = JSON.parse(readFileSync(join(runDir, "run.json"), "utf8")) as {
      holders: { mountNamespace: string }[];
    };
    expect(record.holders).toHaveLength(2);
    const nodePids = () =>
      record.holders.flatMap((h) => pidsInMountNamespace(h.mountNamespace)).filter(isAlive);
    expect(nodePids().length).toBeGreaterThan(4);
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    // tsx forwards the signal to the script's process, as a terminal's Ctrl-C does.
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    expect(listNamespaces(prefix)).toEqual([]);
    expect(existsSync(runDir)).toBe(false);
    expect(nodePids()).toEqual([]);
  }, 60_000);
});
