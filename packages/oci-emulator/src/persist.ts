import { randomBytes } from "node:crypto";
import { readFile, rename, unlink, writeFile } from "node:fs/promises";
import { EmulatorError } from "./errors.js";
import { type EmulatorState, emulatorStateSchema } from "./state.js";

/** Writes the state to a file atomically (temporary file + rename), coalescing bursts. */
export interface StatePersister {
  schedule(state: () => EmulatorState): void;
  flush(): Promise<void>;
}

/** Creates a {@link StatePersister} for `path`. */
export function createStatePersister(
  path: string,
  onError: (error: EmulatorError) => void,
): StatePersister {
  let chain: Promise<void> = Promise.resolve();
  let queued = false;
  const writeOnce = async (state: () => EmulatorState): Promise<void> => {
    queued = false;
    const tmp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      await writeFile(tmp, `${JSON.stringify(state(), null, 2)}\n`, { mode: 0o600 });
      await rename(tmp, path);
    } catch (cause) {
      await unlink(tmp).catch(() => undefined);
      onError(
        new EmulatorError(
          "STATE_FILE_FAILED",
          `cannot write state file ${path}: ${String(cause)}`,
          { cause },
        ),
      );
    }
  };
  return {
    schedule(state) {
      if (queued) return;
      queued = true;
      chain = chain.then(() => writeOnce(state));
    },
    flush: () => chain,
  };
}

/** Reads a state file written by the emulator; undefined when it does not exist. */
export async function readStateFile(path: string): Promise<EmulatorState | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new EmulatorError(
      "STATE_FILE_FAILED",
      `cannot read state file ${path}: ${String(cause)}`,
      { cause },
    );
  }
  return parseState(safeJson(text, path), `state file ${path}`);
}

function safeJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new EmulatorError("STATE_INVALID", `state file ${path} is not JSON: ${String(cause)}`, {
      cause,
    });
  }
}

/** Validates a state object (state file, admin PUT). */
export function parseState(data: unknown, source: string): EmulatorState {
  const parsed = emulatorStateSchema.safeParse(data);
  if (!parsed.success) {
    const detail = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
      .join("; ");
    throw new EmulatorError("STATE_INVALID", `${source} is not an emulator state: ${detail}`);
  }
  return parsed.data;
}
