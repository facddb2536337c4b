export {
  defineFenceAgent,
  type FenceAgent,
  type FenceAgentDefinition,
  type FenceContext,
  type FenceLogger,
  type PlugInfo,
  type PowerState,
  type StandardDefaults,
} from "./agent.js";
export {
  FenceError,
  type FenceErrorCode,
  fenceErrorExitCodes,
  isFenceError,
} from "./errors.js";
export { FenceExit, type FenceExitCode, type FenceExitName } from "./exit-codes.js";
export { renderFenceManpage } from "./manpage.js";
export { escapeXml, renderFenceMetadata } from "./metadata.js";
export {
  type FenceAction,
  type FenceOptionSpec,
  type FenceOptionSpecs,
  type FenceOptionType,
  type FenceOptionValueOf,
  type FenceOptionValues,
  fenceActions,
  fenceOption,
  getoptText,
  parseCommandLine,
  parseStdinOptions,
  type RawOptions,
  type StandardOptionValues,
  type StdinOptions,
  standardOptions,
} from "./options.js";
export { type RunFenceOptions, runFenceAgent, runFenceAgentMain, type TextSink } from "./run.js";
