export {
  type Emulator,
  type EmulatorOptions,
  type EmulatorUrls,
  startEmulator,
} from "./emulator.js";
export { EmulatorError, type EmulatorErrorCode } from "./errors.js";
export { type ActiveFault, type FaultRule, faultOperations } from "./faults.js";
export type { OciConfigFiles } from "./oci-config.js";
export type { RequestLogEntry } from "./request-log.js";
export {
  defaultScenario,
  loadScenario,
  type ResolvedInstance,
  type ResolvedScenario,
  type ResolvedUser,
  type ResolvedVnic,
  resolveScenario,
} from "./scenario.js";
export { type Scenario, scenarioSchema } from "./scenario-schema.js";
export type { SignatureVerdict } from "./signature.js";
export type {
  EmulatorState,
  Ipv6Record,
  PrivateIpRecord,
  SubnetRecord,
  VnicAttachmentRecord,
  VnicRecord,
} from "./state.js";
