export { AUTHKEY_BYTES, generateAuthkey, writeAuthkey } from "./authkey.js";
export { readConfig } from "./config.js";
export type { ConfDocument, ConfNode, PairNode, SectionNode, TriviaNode } from "./cst.js";
export {
  createCollector,
  type Diagnostic,
  type DiagnosticSink,
  formatDiagnostic,
  type Severity,
  sortDiagnostics,
  suggest,
} from "./diagnostics.js";
export { addNode, getKey, type NewNode, removeNode, setKey, unsetKey } from "./edit.js";
export { emit } from "./emit.js";
export { CorosyncError, type CorosyncErrorCode } from "./errors.js";
export { type FormatOptions, formatDocument } from "./fmt.js";
export { type GenerateOptions, generate, generateOptionsSchema } from "./generate.js";
export { type MigrateOptions, type MigrateResult, migrate } from "./migrate.js";
export {
  type CorosyncConfig,
  type CorosyncNode,
  corosyncConfigSchema,
  interfaceSchema,
  loggingSchema,
  nodeSchema,
  nozzleSchema,
  quorumSchema,
  systemSchema,
  totemSchema,
} from "./model.js";
export { MAX_SECTION_DEPTH, type ParseResult, parse } from "./parse.js";
export { DEFAULT_MAX_DIAGNOSTICS, type ValidateResult, validate } from "./validate.js";
