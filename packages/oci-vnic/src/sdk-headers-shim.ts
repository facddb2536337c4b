/**
 * Injected (esbuild `inject`) into the builds that inline OCI SDK code, so the SDK's bare
 * `new Headers()` uses {@link LiteHeaders} and never loads Node's fetch implementation. Not part
 * of the package's API. In the sources the SDK uses the global `Headers`, which works the same.
 */
export { LiteHeaders as Headers } from "./lite-headers.js";
