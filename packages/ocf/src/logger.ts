import { appendFileSync } from "node:fs";
import type { OcfLogEnv } from "./env.js";
import { DEFAULT_HA_DATEFMT, formatHaDate } from "./ha-date.js";

/** Log levels, as `ocf_log` names them. */
export type OcfLogLevel = "debug" | "info" | "warn" | "err" | "crit";

/** A logger writing where `ha_log` writes, with the resource instance in every line. */
export interface OcfLogger {
  /** Logs a debug line (only when `HA_debug` is on or `OCF_TRACE_RA` is set). */
  debug(message: string): void;
  /** Logs an informational line. */
  info(message: string): void;
  /** Logs a warning. */
  warn(message: string): void;
  /** Logs an error. */
  error(message: string): void;
  /** Logs a critical error. */
  crit(message: string): void;
  /** Logs an exit reason to syslog and files only: stderr already carries the `ocf-exit-reason:` line. */
  exitReason(level: OcfLogLevel, message: string): void;
  /** Replaces every secret value in `text` with `***`. */
  redact(text: string): string;
  /** Adds a value (e.g. a token fetched at runtime) to the secrets never logged. */
  addSecret(value: string): void;
  /** Waits for pending syslog writes; the runner calls it before the process exits. */
  flush(): Promise<void>;
}

/** Something that accepts text, like `process.stderr`. */
export interface TextSink {
  /** Writes a chunk of text. */
  write(text: string): unknown;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Destinations from the environment. */
  readonly log: OcfLogEnv;
  /** Whether debug lines are written. */
  readonly debug: boolean;
  /** Agent name, used in the default tag `agent(instance)[pid]`. */
  readonly agentName: string;
  /** Resource instance (`OCF_RESOURCE_INSTANCE`). */
  readonly instance: string | undefined;
  /** Values never to be logged. */
  readonly secrets?: readonly string[];
  /** Where stderr lines go (default `process.stderr`). */
  readonly stderr?: TextSink;
  /** Sends one syslog line; default runs `logger -t TAG -p FACILITY.LEVEL MESSAGE`. */
  readonly syslog?: (tag: string, priority: string, message: string) => Promise<void>;
  /** Process id in the tag (default `process.pid`). */
  readonly pid?: number;
  /** Clock, for tests. */
  readonly now?: () => Date;
}

const LABELS: Record<OcfLogLevel, string> = {
  debug: "DEBUG",
  info: "INFO",
  warn: "WARNING",
  err: "ERROR",
  crit: "CRIT",
};

const SYSLOG_LEVELS: Record<OcfLogLevel, string> = {
  debug: "debug",
  info: "info",
  warn: "warning",
  err: "err",
  crit: "crit",
};

async function runLogger(tag: string, priority: string, message: string): Promise<void> {
  // Loaded only when syslog is configured: node:child_process is costly on a cold start.
  const { spawn } = await import("node:child_process");
  return new Promise((resolve) => {
    const child = spawn("logger", ["-t", tag, "-p", priority, "--", message], { stdio: "ignore" });
    child.on("error", () => resolve());
    child.on("close", () => resolve());
  });
}

function appendQuietly(file: string, line: string): void {
  try {
    appendFileSync(file, line);
  } catch {
    // Logging must never fail an action; stderr still carries the exit reason.
  }
}

// `scheme://user:password@host`: the user info of any URL in a line, up to the last `@` before
// the host part ends (a password may itself contain `@`).
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#"']*@/gi;

/** Replaces the user info of every URL in `text` (`http://user:pass@host`) with `***`. */
export function redactUrlCredentials(text: string): string {
  return text.replace(URL_USERINFO, "$1***@");
}

/** Creates a logger following `ha_log`: syslog and/or `HA_LOGFILE`, else stderr; `HA_DEBUGLOG` too. */
export function createLogger(options: LoggerOptions): OcfLogger {
  const { log } = options;
  const secrets = new Set((options.secrets ?? []).filter((s) => s.length > 0));
  const pid = options.pid ?? process.pid;
  const instance = options.instance;
  const baseTag = instance
    ? `${options.agentName}(${instance})[${pid}]`
    : `${options.agentName}[${pid}]`;
  const tag = log.tag ?? baseTag;
  // A custom HA_LOGTAG may lack the instance: then each message carries it.
  const prefix = instance && !tag.includes(instance) ? `${instance}: ` : "";
  // process.stderr is a lazy getter that builds a stream: touch it only when writing.
  const stderr = options.stderr ?? { write: (text: string) => process.stderr.write(text) };
  const syslog = options.syslog ?? runLogger;
  const now = options.now ?? (() => new Date());
  const pending = new Set<Promise<void>>();

  const redact = (text: string): string => {
    let out = redactUrlCredentials(text);
    for (const secret of secrets) out = out.split(secret).join("***");
    return out;
  };

  const emit = (level: OcfLogLevel, message: string, toStderr = true): void => {
    if (level === "debug" && !options.debug) return;
    const body = `${LABELS[level]}: ${prefix}${redact(message).replace(/\n/g, " ")}`;
    // As ocf-shellfuncs' ha_log writes: `hadate` (HA_DATEFMT, local time) then the text.
    const stamp = formatHaDate(now(), log.dateFormat ?? DEFAULT_HA_DATEFMT);
    if (log.facility) {
      const sent = syslog(tag, `${log.facility}.${SYSLOG_LEVELS[level]}`, body);
      pending.add(sent);
      void sent.finally(() => pending.delete(sent));
    }
    if (log.file) appendQuietly(log.file, `${stamp} ${tag}:    ${body}\n`);
    if (!log.facility && !log.file && toStderr) stderr.write(`${stamp}${tag}: ${body}\n`);
    if (log.debugFile && log.debugFile !== log.file) {
      appendQuietly(log.debugFile, `${tag}:\t${stamp}${body}\n`);
    }
  };

  return {
    debug: (message) => emit("debug", message),
    info: (message) => emit("info", message),
    warn: (message) => emit("warn", message),
    error: (message) => emit("err", message),
    crit: (message) => emit("crit", message),
    exitReason: (level, message) => emit(level, message, false),
    redact,
    addSecret: (value) => {
      if (value.length > 0) secrets.add(value);
    },
    flush: async () => {
      await Promise.all([...pending]);
    },
  };
}
