export type { AddAddressOptions } from "./add.js";
export type {
  ChangeResult,
  DeleteAddressOptions,
  ListAddressesOptions,
} from "./addr.js";
export { parseAddressList } from "./addr-json.js";
export type { AnnounceOptions, AnnounceResult, ArpSender } from "./announce.js";
export type { ToolPaths } from "./context.js";
export type { WaitForDadOptions } from "./dad.js";
export { type CommandDetails, IprouteError, type IprouteErrorCode } from "./errors.js";
export type { CallOptions } from "./exec.js";
export type { FindInterfaceOptions, InterfaceMatch } from "./find.js";
export { locateIp } from "./ip-binary.js";
export { createIproute2, type Iproute2, type Iproute2Options } from "./iproute2.js";
export type { Address, AddressFlag, NetworkInterface } from "./schema.js";
export type { AddressFamily } from "./validate.js";
