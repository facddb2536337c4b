import type { ProgressEvent } from "@ocfkit/e2e";

/** Prints each phase as it happens with the time since the run began (and since the kill). */
export interface LiveView {
  onProgress(event: ProgressEvent): void;
  /** From now on, also show times relative to this moment (the kill). */
  markZero(t: number): void;
  stop(): void;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2).padStart(6)} s`;
}

/**
 * A live progress view: one line per finished phase; on a terminal, a ticking status line for
 * the phase in progress so a wait never looks frozen.
 */
export function createLiveView(out: NodeJS.WriteStream = process.stdout): LiveView {
  const started = Date.now();
  let zero: number | undefined;
  let current = "starting";
  let currentSince = started;
  const tty = out.isTTY === true;
  const clear = () => {
    if (tty) out.write("\r\x1b[2K");
  };
  const timer = tty
    ? setInterval(() => {
        clear();
        out.write(`  … ${current} (${((Date.now() - currentSince) / 1000).toFixed(1)} s)`);
      }, 100)
    : undefined;
  return {
    onProgress(event) {
      clear();
      const sinceKill =
        zero === undefined
          ? ""
          : `  kill ${event.t >= zero ? "+" : ""}${((event.t - zero) / 1000).toFixed(2)} s`;
      out.write(
        `[${seconds(event.t - started)}]${sinceKill}  ${event.phase}${event.detail ? `: ${event.detail}` : ""}\n`,
      );
      current = event.phase;
      currentSince = event.t;
    },
    markZero(t) {
      zero = t;
    },
    stop() {
      if (timer) clearInterval(timer);
      clear();
    },
  };
}
