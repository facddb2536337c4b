import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire, Module } from "node:module";
import { basename, dirname, join } from "node:path";
import { Script } from "node:vm";

/**
 * Requires the CommonJS file `file` (a bundle that requires only Node built-ins), compiled with a
 * V8 code cache kept in `cacheDir`: Node 20 has no `module.enableCompileCache`, and compiling
 * dist/sdk.cjs again costs every new process tens of milliseconds. The cache file is named after
 * the Node version and the bundle's identity (inode, size, mtime); V8 itself rejects data that
 * does not match the source or its flags, and a file not owned by this user or writable by others
 * is ignored (and replaced). A missing or rejected cache is written (mode 0600) when
 * the process exits, so the functions the process ran are in it too. Any failure only means no
 * cache: the bundle still loads.
 */
export function requireWithCodeCache(file: string, cacheDir: string): unknown {
  const require = createRequire(file);
  const loaded = require.cache[file];
  if (loaded) return loaded.exports;
  let source: string;
  let key: string;
  try {
    source = readFileSync(file, "utf8");
    const stat = statSync(file);
    key = `${process.version}-${process.arch}-${stat.ino}-${stat.size}-${Math.floor(stat.mtimeMs)}`;
  } catch {
    return require(file);
  }
  const prefix = `oci-vnic-${basename(file).replace(/[^\w]/g, "_")}-`;
  const cacheFile = join(cacheDir, `${prefix}${key.replace(/[^\w.-]/g, "_")}.v8cache`);
  let cachedData: Buffer | undefined;
  try {
    // Compiled code is trusted as it stands: only from a file of ours that nobody else can write.
    const owner = statSync(cacheFile);
    const ours = owner.uid === process.getuid?.() && (owner.mode & 0o022) === 0;
    cachedData = ours ? readFileSync(cacheFile) : undefined;
  } catch {
    cachedData = undefined;
  }
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname) {${source}\n})`,
    { filename: file, ...(cachedData ? { cachedData } : {}) },
  );
  // A real module in require's cache, so a plain `require(file)` elsewhere gets the same exports.
  const module = new Module(file);
  module.filename = file;
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, require, module, file, dirname(file));
  module.loaded = true;
  require.cache[file] = module;
  if (cachedData === undefined || script.cachedDataRejected === true) {
    process.once("exit", () => {
      try {
        mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
        const temporary = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
        renameSync(temporary, cacheFile);
        for (const old of readdirSync(cacheDir)) {
          if (
            old.startsWith(prefix) &&
            old.endsWith(".v8cache") &&
            join(cacheDir, old) !== cacheFile
          ) {
            rmSync(join(cacheDir, old), { force: true });
          }
        }
      } catch {
        // no cache this time: only speed is lost
      }
    });
  }
  return module.exports;
}
