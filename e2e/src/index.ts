export {
  type ClientArpView,
  type ClientProbe,
  type ProbeAttempt,
  readClientArp,
  startClientProbe,
} from "./client-probe.js";
export { type CloudLab, startCloud } from "./cloud.js";
export {
  type OutageResult,
  runOutageScenario,
  runSplitScenario,
  type SplitResult,
} from "./cloud-scenarios.js";
export type { AgentInstaller, ClusterHooks } from "./cluster.js";
export { type Cluster, createCluster, defaultBaseDir, type NodeKill } from "./cluster.js";
export type { ClusterStatus, FailedAction, NodeStatus, ResourceStatus } from "./crm-mon.js";
export { parseCrmMon, settledOn } from "./crm-mon.js";
export { E2eError, type E2eErrorCode } from "./errors.js";
export type { CommandResult, RunOptions } from "./exec.js";
export {
  enableFencing,
  type FencedSplitResult,
  type Fencing,
  type FencingOptions,
  runFencedSplitScenario,
} from "./fencing.js";
export type { VipAgent } from "./lab.js";
export {
  createFailoverLab,
  type FailoverLab,
  type FailoverLabOptions,
  type ProgressEvent,
  type ResourceFactory,
} from "./lab.js";
export { ensureOcivipBuilt, ocivipInstaller, ocivipResource } from "./ocivip.js";
export {
  type ClusterOptions,
  type ClusterPlan,
  isTestNetAddress,
  type NodePlan,
  namespacePrefix,
  planCluster,
} from "./plan.js";
export { ipaddr2Resource, type ResourceOperation, type ResourceSpec } from "./resources.js";
export {
  expectedMac,
  runKillScenario,
  runReturnScenario,
  runStandbyScenario,
  type ScenarioName,
  type ScenarioResult,
} from "./scenarios.js";
export { listNamespaces, sweepStaleRuns } from "./teardown.js";
export type { TimelineEvent, TimelineKind } from "./timeline.js";
export {
  type VipBindings,
  vipBindings,
  vipBoundScenario,
  vipPublicIp,
  vipRouteDestination,
} from "./vip-bindings.js";
export {
  startVipSampler,
  type VipSample,
  type VipSampler,
  type VipSamplerReport,
} from "./vip-sampler.js";
