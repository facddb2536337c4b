export { cacheDirFor, ocivipAgent } from "./agent.js";
export { CLI_EXIT, main } from "./cli.js";
export type { ResourceState, VipContext, VipLog, VipStateStore } from "./context.js";
export {
  type DoctorCheck,
  type DoctorOptions,
  formatDoctorCheck,
  formatDoctorReport,
  formatDoctorSummary,
  runDoctor,
} from "./doctor.js";
export { errorCodeTable, toOcfError } from "./error-map.js";
export {
  type InstallOptions,
  type InstallResult,
  installAgent,
  LAUNCHER_MARKER,
  renderLauncher,
  type UninstallResult,
  uninstallAgent,
} from "./install.js";
export { createLocalNet } from "./local-net.js";
export { cloudCheckDue, DEEP_CHECK_LEVEL, monitor } from "./monitor.js";
export { DEFAULT_CLOUD_CHECK_INTERVAL, type OcivipParameters, ocivipParameters } from "./params.js";
export type {
  CallOptions,
  CloudAssignment,
  CloudNet,
  LocalAddress,
  LocalNet,
  VnicFacts,
  VnicSelector,
} from "./ports.js";
export { type AuthSettings, labelFor, MAX_LABEL_LENGTH, type Settings } from "./settings.js";
export { type Placement, placeAddress, start } from "./start.js";
export { stop } from "./stop.js";
export { canonicalIp, toSettings } from "./to-settings.js";
export { UsageError } from "./usage-error.js";
export { validateAll } from "./validate.js";
export { VERSION } from "./version.js";
