export type { Assignment, AssignResult, ReleaseResult } from "./assignment.js";
export type { AuthOptions, SigningProvider } from "./auth.js";
export {
  type AssignmentQueryOptions,
  createOciVnic,
  type OciVnic,
  type Prepared,
  type ResolvedEndpoints,
  type VnicRef,
} from "./client.js";
export type { RequestCounts } from "./counters.js";
export type { CallOptions } from "./deadline.js";
export {
  isOciVnicError,
  OciVnicError,
  type OciVnicErrorCode,
  type OciVnicErrorDetails,
} from "./errors.js";
export type { SubnetFacts } from "./facts.js";
export {
  type Cidr,
  cidrContains,
  type IpAddress,
  parseCidr,
  parseIp,
  sameIp,
} from "./ip.js";
export type { InstanceInfo, MetadataSnapshot, VnicInfo } from "./metadata.js";
export {
  createOciApiClient,
  type OciApiClient,
  type OciRequest,
  type OciResponse,
} from "./oci-request.js";
export {
  defaultMetadataUrl,
  type EndpointOptions,
  type OciVnicLog,
  type OciVnicOptions,
} from "./options.js";
export type { ProxyOptions } from "./proxy.js";
export type { RetryPolicy } from "./retry.js";
export type { SdkLogSink } from "./sdk.js";
export type { VnicSelector } from "./select.js";
