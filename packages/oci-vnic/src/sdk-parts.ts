/**
 * The parts of the OCI SDK this package calls, imported file by file rather than through the
 * `oci-common` and `oci-core` entry points (which load everything: ~1,000 modules, ≈ 350 ms).
 * The package build bundles this module with those files into `dist/sdk.cjs`, so a new process
 * reads one file instead of resolving ~150; in the sources (tests) it imports them from
 * node_modules. Nothing here is ours but the selection.
 */
export { EndpointBuilder } from "oci-common/lib/endpoint-builder.js";
export { handleErrorBody, handleErrorResponse } from "oci-common/lib/helper.js";
export { LOG } from "oci-common/lib/log.js";
export { ObjectSerializer } from "oci-common/lib/object-serializer.js";
export { composeRequest } from "oci-common/lib/request-generator.js";
export { DefaultRequestSigner } from "oci-common/lib/signer.js";
export { CreateIpv6Details } from "oci-core/lib/model/create-ipv6-details.js";
export { CreatePrivateIpDetails } from "oci-core/lib/model/create-private-ip-details.js";
export { UpdateIpv6Details } from "oci-core/lib/model/update-ipv6-details.js";
export { UpdatePrivateIpDetails } from "oci-core/lib/model/update-private-ip-details.js";

import instancePrincipals from "oci-common/lib/auth/instance-principals-authentication-detail-provider.js";
import resourcePrincipal from "oci-common/lib/auth/resource-principal-authentication-details-provider.js";
// sshpk (the copy oci-common uses) has no named exports Node can see: take them off its default.
import sshpk from "sshpk";

/**
 * The class a CommonJS module exports as `exports.default`: Node hands an ES module the whole
 * `module.exports` as its default, a bundler may hand it `exports.default` itself.
 */
function defaultExport<T>(module: { default: T }): T {
  const inner = (module as { default?: unknown }).default;
  return (typeof inner === "function" ? inner : module) as T;
}

export const InstancePrincipalsAuthenticationDetailsProviderBuilder =
  defaultExport(instancePrincipals);
export const ResourcePrincipalAuthenticationDetailsProvider = defaultExport(resourcePrincipal);
export const parseCertificate = sshpk.parseCertificate;
export const parsePrivateKey = sshpk.parsePrivateKey;
