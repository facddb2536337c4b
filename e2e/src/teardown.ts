import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { destroyNetworkSync } from "./network.js";
import { isAlive, pidsInMountNamespace } from "./node-process.js";

const runRecordSchema = z.object({
  ownerPid: z.number().int(),
  netns: z.array(z.string()),
  holders: z.array(z.object({ pid: z.number().int(), mountNamespace: z.string() })),
  helperPids: z.array(z.number().int()),
});

/** What a run leaves on disk so that it can be torn down even if its process dies. */
export type RunRecord = z.infer<typeof runRecordSchema>;

/** Something that can tear itself down, synchronously as a last resort. */
export interface Disposable {
  dispose(): Promise<void>;
  disposeSync(): void;
}

const active = new Set<Disposable>();
let handlersInstalled = false;

function onSignal(signal: NodeJS.Signals): void {
  const exitCode = signal === "SIGINT" ? 130 : 143;
  Promise.allSettled([...active].map((item) => item.dispose())).finally(() =>
    process.exit(exitCode),
  );
}

function onExit(): void {
  for (const item of active) item.disposeSync();
}

/** Tracks a live run so Ctrl-C, SIGTERM and process exit tear it down; handlers install once. */
export function trackDisposable(item: Disposable): () => void {
  if (!handlersInstalled) {
    handlersInstalled = true;
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    process.on("exit", onExit);
  }
  active.add(item);
  return () => active.delete(item);
}

/** Writes the run record beside the run's files (read by {@link sweepStaleRuns}). */
export function writeRunRecord(runDir: string, record: RunRecord): void {
  writeFileSync(join(runDir, "run.json"), `${JSON.stringify(record)}\n`);
}

/** SIGKILLs `pid`, ignoring a process that is already gone (safe in exit handlers). */
export function killQuietly(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

/** Kills every process of the recorded mount namespaces and helpers, deletes namespaces. */
export function destroyRunSync(record: RunRecord): void {
  for (const holder of record.holders) {
    let current: string | undefined;
    try {
      current = readlinkSync(`/proc/${holder.pid}/ns/mnt`);
    } catch {
      current = undefined;
    }
    // Only a namespace still held by our holder is ours: an inode number alone could be reused.
    if (current === holder.mountNamespace) {
      for (const pid of pidsInMountNamespace(holder.mountNamespace)) killQuietly(pid);
    }
  }
  for (const pid of record.helperPids) killQuietly(pid);
  destroyNetworkSync(record.netns);
}

/**
 * Tears down runs under `baseDir` whose owning process is gone (a crashed test, a SIGKILLed
 * demo): their namespaces, daemons and files. Live runs of other processes are left alone.
 */
export function sweepStaleRuns(baseDir: string): number {
  let swept = 0;
  let entries: string[];
  try {
    entries = readdirSync(baseDir);
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const dir = join(baseDir, entry);
    let record: RunRecord;
    try {
      record = runRecordSchema.parse(JSON.parse(readFileSync(join(dir, "run.json"), "utf8")));
    } catch {
      continue;
    }
    if (record.ownerPid === process.pid || isAlive(record.ownerPid)) continue;
    destroyRunSync(record);
    rmSync(dir, { recursive: true, force: true });
    swept += 1;
  }
  return swept;
}

/** Names of namespaces on this host whose name starts with `prefix` (for leak checks). */
export function listNamespaces(prefix: string): string[] {
  const result = spawnSync("ip", ["netns", "list"], { encoding: "utf8" });
  return (result.stdout ?? "")
    .split("\n")
    .map((line) => line.split(" ")[0] ?? "")
    .filter((name) => name.startsWith(prefix));
}
