/** fence_oci's version, printed by `--version`. */
export const version = "0.0.0";
