export { type Connection, clientOptions, fenceOciAgent, type OciOptionValues } from "./agent.js";
export { main } from "./cli.js";
export {
  type Compute,
  createCompute,
  type InstanceSummary,
  iamStatement,
  type PowerAction,
  powerStateOf,
} from "./compute.js";
export { ociToFenceCode, toFenceError } from "./error-map.js";
export {
  type InstallOptions,
  type InstallResult,
  installFenceAgent,
  renderLauncher,
} from "./install.js";
export { fenceOciOptions } from "./options.js";
export { version } from "./version.js";
