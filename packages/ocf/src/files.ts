// `@ocfkit/ocf/files`: an agent's private files, without the rest of the package. Its private
// directory (checked with lstat, never through a symlink), atomic writes (O_EXCL temp file, fsync,
// rename) and the V8 code cache of a bundle. It loads no zod, so a library that only keeps files
// (like @ocfkit/oci-vnic) stays cheap to import. The main entry exports the same functions; both
// entries share one copy of every module (the build splits them into common chunks).
export { type CachedScript, runWithCodeCache } from "./code-cache.js";
export {
  DEFAULT_MAX_PRIVATE_FILE_BYTES,
  encodeInstanceName,
  openPrivateDir,
  type PrivateDir,
  type PrivateDirOptions,
  type PrivateDirResult,
} from "./private-dir.js";
export {
  createStateStore,
  type StateStore,
  type StateStoreOptions,
  writeFileAtomic,
} from "./state.js";
