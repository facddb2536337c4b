import { FenceError, type FenceErrorCode } from "@ocfkit/fence";
import { isOciVnicError, type OciVnicErrorCode } from "@ocfkit/oci-vnic";

/** The one table from an OCI client error to the fence error (and so the exit code) it becomes. */
export const ociToFenceCode: Readonly<Record<OciVnicErrorCode, FenceErrorCode>> = {
  INVALID_PARAMETER: "BAD_ARGS",
  NOT_AUTHENTICATED: "LOGIN_DENIED",
  // The configured credential file (config_file, its key file) is not there.
  CREDENTIALS_MISSING: "LOGIN_DENIED",
  // The metadata service or the auth service could not be used: not a refusal of credentials.
  FEDERATION_FAILED: "CONNECTION_LOST",
  METADATA_UNAVAILABLE: "CONNECTION_LOST",
  // OCI answers 404 both for a missing instance and for one the policy does not let us see.
  NOT_AUTHORIZED_OR_NOT_FOUND: "INVALID_PRIVILEGES",
  CONFLICT: "GENERIC_ERROR",
  LIMIT_EXCEEDED: "GENERIC_ERROR",
  THROTTLED: "CONNECTION_LOST",
  SERVICE_UNAVAILABLE: "CONNECTION_LOST",
  TIMEOUT: "TIMED_OUT",
  ABORTED: "GENERIC_ERROR",
  VNIC_NOT_FOUND: "GENERIC_ERROR",
  VNIC_AMBIGUOUS: "GENERIC_ERROR",
  SDK_UNAVAILABLE: "GENERIC_ERROR",
  UNEXPECTED: "GENERIC_ERROR",
};

/** Turns anything an OCI call threw into a {@link FenceError}, keeping the message and cause. */
export function toFenceError(error: unknown): FenceError {
  if (error instanceof FenceError) return error;
  if (isOciVnicError(error)) {
    return new FenceError(ociToFenceCode[error.code], error.message, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new FenceError("GENERIC_ERROR", `unexpected error: ${message}`, { cause: error });
}
