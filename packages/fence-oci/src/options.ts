import { fenceOption } from "@ocfkit/fence";
import * as z from "zod";

const url = z.union([
  z.literal(""),
  z.url({ protocol: /^https?$/, message: "must be an http:// or https:// URL" }),
]);

const endpoint = (what: string, replaces: string) =>
  fenceOption({
    type: "string",
    valueName: "url",
    schema: url,
    shortdesc: `${what} base URL, replacing ${replaces} (private endpoints, other realms, an emulator)`,
  });

/** fence_oci's own options (beside the standard ones), by their stdin name. */
export const fenceOciOptions = {
  compartment: fenceOption({
    type: "string",
    valueName: "ocid",
    schema: z.union([
      z.literal(""),
      z.string().regex(/^ocid1\.(compartment|tenancy)\.[a-z0-9._-]+$/i, {
        message: "must be a compartment OCID (ocid1.compartment....)",
      }),
    ]),
    shortdesc:
      "Compartment of the instances, for list and for plugs given by name (default: this instance's)",
  }),
  auth: fenceOption({
    type: "select",
    valueName: "kind",
    choices: ["instance_principal", "config_file", "resource_principal"],
    default: "instance_principal",
    shortdesc: "OCI authentication: instance_principal, config_file or resource_principal",
  }),
  config_file: fenceOption({
    type: "string",
    valueName: "path",
    shortdesc: "OCI config file for auth=config_file (default ~/.oci/config)",
  }),
  profile: fenceOption({
    type: "string",
    valueName: "name",
    default: "DEFAULT",
    shortdesc: "Profile in the OCI config file",
  }),
  region: fenceOption({
    type: "string",
    valueName: "region",
    schema: z.union([
      z.literal(""),
      z.string().regex(/^[a-z0-9-]+$/, { message: "must be a region id such as us-ashburn-1" }),
    ]),
    shortdesc: "OCI region (default: this instance's, or the config file's)",
  }),
  api_timeout: fenceOption({
    type: "second",
    valueName: "seconds",
    default: 30,
    shortdesc: "Longest one API call may take, retries of 429/5xx/timeouts included",
  }),
  cache_dir: fenceOption({
    type: "string",
    valueName: "path",
    default: "/run/fence_oci",
    schema: z.string().startsWith("/", { message: "must be an absolute path" }),
    shortdesc:
      "Private directory for the instance-principal session and metadata cache (root only)",
  }),
  metadata_endpoint: endpoint("Instance metadata service v2", "http://169.254.169.254/opc/v2/"),
  federation_endpoint: endpoint(
    "Instance principal federation",
    "https://auth.<region>.oraclecloud.com",
  ),
  api_endpoint: endpoint("Core Services (Compute) API", "https://iaas.<region>.oraclecloud.com"),
};
