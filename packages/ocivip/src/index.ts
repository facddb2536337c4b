export { ocivipAgent } from "./agent.js";
export { type DoctorCheck, type DoctorOptions, formatDoctorReport, runDoctor } from "./doctor.js";
export {
  type InstallOptions,
  type InstallResult,
  installAgent,
  type UninstallResult,
  uninstallAgent,
} from "./install.js";
export type {
  CallOptions,
  CloudAssignment,
  CloudNet,
  LocalAddress,
  LocalNet,
  VnicFacts,
  VnicSelector,
} from "./ports.js";
export type { AuthSettings, Settings } from "./settings.js";
