import { OcfError, type OcfErrorCode } from "@ocfkit/ocf";

/**
 * The one table turning other packages' error codes into OCF errors. Cloud and API trouble is
 * always `ERR_GENERIC` (1): never "not running", which would make Pacemaker believe the IP is down
 * and fail over for nothing. Node-local gaps are `ERR_INSTALLED` (this node cannot host the IP),
 * settings no node can satisfy are `ERR_CONFIGURED`.
 */
export const errorCodeTable: Readonly<Record<string, Readonly<Record<string, OcfErrorCode>>>> = {
  OciVnicError: {
    INVALID_PARAMETER: "ERR_CONFIGURED",
    VNIC_AMBIGUOUS: "ERR_CONFIGURED",
    VNIC_NOT_FOUND: "ERR_INSTALLED",
    SDK_UNAVAILABLE: "ERR_INSTALLED",
    CREDENTIALS_MISSING: "ERR_INSTALLED",
    NOT_AUTHENTICATED: "ERR_GENERIC",
    NOT_AUTHORIZED_OR_NOT_FOUND: "ERR_GENERIC",
    CONFLICT: "ERR_GENERIC",
    LIMIT_EXCEEDED: "ERR_GENERIC",
    THROTTLED: "ERR_GENERIC",
    SERVICE_UNAVAILABLE: "ERR_GENERIC",
    METADATA_UNAVAILABLE: "ERR_GENERIC",
    FEDERATION_FAILED: "ERR_GENERIC",
    TIMEOUT: "DEADLINE_EXCEEDED",
    ABORTED: "DEADLINE_EXCEEDED",
    UNEXPECTED: "ERR_GENERIC",
  },
  IprouteError: {
    INVALID_ADDRESS: "ERR_CONFIGURED",
    INVALID_PREFIX: "ERR_CONFIGURED",
    INVALID_LABEL: "ERR_CONFIGURED",
    INVALID_ARGUMENT: "ERR_CONFIGURED",
    NO_SUCH_DEVICE: "ERR_INSTALLED",
    INTERFACE_NOT_FOUND: "ERR_INSTALLED",
    NETNS_MISSING: "ERR_INSTALLED",
    IP_NOT_INSTALLED: "ERR_INSTALLED",
    TOOL_NOT_INSTALLED: "ERR_INSTALLED",
    PERMISSION_DENIED: "ERR_PERM",
    ADDRESS_CONFLICT: "ERR_GENERIC",
    ADDRESS_NOT_FOUND: "ERR_GENERIC",
    DAD_FAILED: "ERR_GENERIC",
    COMMAND_FAILED: "ERR_GENERIC",
    BAD_OUTPUT: "ERR_GENERIC",
    TIMEOUT: "DEADLINE_EXCEEDED",
    ABORTED: "DEADLINE_EXCEEDED",
  },
};

/** oci-vnic options and the agent parameters they come from, to name the right one. */
const parameterNames: Readonly<Record<string, string>> = {
  "auth.path": "config_file",
  "auth.profile": "profile",
  "endpoints.metadata": "metadata_endpoint",
  "endpoints.federation": "federation_endpoint",
  "endpoints.api": "api_endpoint",
  region: "region",
};

/**
 * Turns anything an action threw into an {@link OcfError} through {@link errorCodeTable}; OCF
 * errors pass through, unknown errors become `ERR_GENERIC`. The original is kept as `cause`.
 */
export function toOcfError(error: unknown): OcfError {
  if (error instanceof OcfError) return error;
  const { name, code, message, parameter } = (error ?? {}) as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
    parameter?: unknown;
  };
  const raw = typeof message === "string" ? message : String(error);
  const param = typeof parameter === "string" ? parameterNames[parameter] : undefined;
  const text = param === undefined ? raw : `parameter "${param}": ${raw}`;
  const byCode = typeof name === "string" ? errorCodeTable[name] : undefined;
  const mapped = typeof code === "string" ? byCode?.[code] : undefined;
  if (mapped === undefined)
    return new OcfError("ERR_GENERIC", `unexpected error: ${text}`, { cause: error });
  return new OcfError(mapped, `${text} [${String(code)}]`, { cause: error });
}
