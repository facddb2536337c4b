export {
  type ComputeTimings,
  type InstanceActionName,
  type InstanceLifecycleState,
  instanceActions,
  type PowerChange,
  type PowerListener,
} from "./compute.js";
export {
  type Emulator,
  type EmulatorOptions,
  type EmulatorUrls,
  startEmulator,
} from "./emulator.js";
export { EmulatorError, type EmulatorErrorCode } from "./errors.js";
export { type ActiveFault, type FaultRule, faultOperations, faultRuleSchema } from "./faults.js";
export {
  type Latency,
  type LatencyModel,
  type LatencyProfile,
  type LatencyRange,
  latencyModel,
  latencyProfileSchema,
  latencyProfiles,
  latencyRangeSchema,
  latencySchema,
} from "./latency.js";
export type { OciConfigFiles } from "./oci-config.js";
export {
  type PublicIpRecord,
  publicIpRecordSchema,
  type RouteTableRecord,
  routeTableRecordSchema,
  ruleTarget,
} from "./public-ips.js";
export { realShapesScenario } from "./real-shapes.js";
export type { RequestLogEntry } from "./request-log.js";
export {
  defaultScenario,
  type Identified,
  loadScenario,
  type ResolvedInstance,
  type ResolvedScenario,
  type ResolvedUser,
  type ResolvedVnic,
  resolveScenario,
} from "./scenario.js";
export {
  type ParsedScenario,
  type Scenario,
  scenarioGrantSchema,
  scenarioInstanceSchema,
  scenarioSchema,
  scenarioUserSchema,
  scenarioVnicSchema,
} from "./scenario-schema.js";
export type { SignatureVerdict } from "./signature.js";
export {
  type EmulatorState,
  emulatorStateSchema,
  type Ipv6Record,
  ipv6RecordSchema,
  type PrivateIpRecord,
  privateIpRecordSchema,
  type SubnetRecord,
  subnetRecordSchema,
  type VnicAttachmentRecord,
  type VnicRecord,
  vnicAttachmentRecordSchema,
  vnicRecordSchema,
} from "./state.js";
