export {
  type ActionAdvert,
  type ActionContext,
  type ActionDefinition,
  type ActionHandler,
  type ActionOptions,
  type ActionOutcome,
  type ActionResult,
  type ActionsOf,
  type Agent,
  type AgentDefinition,
  defineAgent,
  type InvalidParametersHandler,
  type OcfActionName,
  type TimeSpec,
  timeSpecToMs,
  type UnparsedActionContext,
} from "./agent.js";
export {
  type AnySchema,
  getOcfAnnotations,
  type OcfDeprecation,
  type OcfParamAnnotations,
  type OcfParamType,
  ocfParam,
} from "./annotations.js";
export { type CachedScript, runWithCodeCache } from "./code-cache.js";
export {
  createDeadline,
  type Deadline,
  type DeadlineOptions,
  MAX_TIMEOUT_MS,
  safetyMarginMs,
} from "./deadline.js";
export {
  type CrmMeta,
  isProbe,
  type OcfEnv,
  type OcfLogEnv,
  type OcfNotifyEnv,
  readOcfEnv,
} from "./env.js";
export {
  ArgumentsError,
  ConfigurationError,
  DeadlineError,
  type ErrorOutcome,
  errorToOutcome,
  GenericError,
  InstallationError,
  NotRunningError,
  OcfError,
  type OcfErrorCode,
  ocfErrorExitCodes,
  PermissionError,
  UnimplementedError,
} from "./errors.js";
export {
  isOcfExitCode,
  OcfExit,
  type OcfExitCode,
  type OcfExitName,
  ocfExitName,
} from "./exit-codes.js";
export { DEFAULT_HA_DATEFMT, formatHaDate } from "./ha-date.js";
export {
  createLogger,
  type LoggerOptions,
  type OcfLogger,
  type OcfLogLevel,
  redactUrlCredentials,
  type TextSink,
} from "./logger.js";
export {
  advertisedActions,
  DEFAULT_METADATA_DIALECT,
  escapeXml,
  hasImplicitReloadAgent,
  type MetadataDialect,
  type MetadataOptions,
  OCF_API_VERSION,
  renderMetadata,
} from "./metadata.js";
export { describeParameters, type ParametersSchema, type ParamSpec } from "./params.js";
export { type EnvRecord, type ParamsOf, parseParameters } from "./parse-params.js";
export {
  DEFAULT_MAX_PRIVATE_FILE_BYTES,
  encodeInstanceName,
  openPrivateDir,
  type PrivateDir,
  type PrivateDirOptions,
  type PrivateDirResult,
} from "./private-dir.js";
export { type RetryAttempt, type RetryOptions, retry, sleep } from "./retry.js";
export { EXIT_REASON_PREFIX, type RunOptions, runAgent, runAgentMain } from "./run.js";
export {
  createStateStore,
  type StateStore,
  type StateStoreOptions,
  writeFileAtomic,
} from "./state.js";
export { isOcfTrue, parseOcfBoolean, parseOcfInteger } from "./values.js";
