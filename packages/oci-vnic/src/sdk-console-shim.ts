import { LOG } from "oci-common/lib/log.js";

type Level = "debug" | "info" | "warn" | "error";

function forward(level: Level): (...args: unknown[]) => void {
  return (...args) => {
    const logger = LOG.logger as Partial<Record<Level, (message: string) => void>> | undefined;
    logger?.[level]?.(args.map(String).join(" "));
  };
}

/**
 * Injected (esbuild `inject`) into dist/sdk.cjs in place of the global `console` for the SDK's
 * code: its `console.log`/`warn`/`info` lines go to the SDK's own logger hook `LOG.logger`
 * (which oci-vnic points at the `sdkLog` option), or nowhere. Not part of the package's API.
 */
const sdkConsole = {
  log: forward("info"),
  info: forward("info"),
  warn: forward("warn"),
  error: forward("error"),
  debug: forward("debug"),
};
export { sdkConsole as console };
