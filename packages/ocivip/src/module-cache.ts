import { closeSync, openSync, readSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { Script } from "node:vm";

interface CjsModule {
  exports: unknown;
  require(id: string): unknown;
  _compile(content: string, filename: string): unknown;
}

interface ModuleStatics {
  prototype: CjsModule;
  wrap(content: string): string;
  _resolveFilename(request: string, parent: CjsModule, isMain: boolean, options?: unknown): string;
  _resolveLookupPaths(request: string, parent: CjsModule): string[] | null;
  _cache: unknown;
  _extensions: unknown;
}

/** What {@link installModuleCodeCache} returns: call `save()` once the action is done. */
export interface ModuleCodeCache {
  /** Writes the code of modules compiled without a usable cache (no-op when all were cached). */
  save(): void;
}

/**
 * Node 20 has no `module.enableCompileCache`; this does its job for CommonJS dependencies under
 * node_modules (the OCI SDK: ~1,000 files compiled again by every agent process) and for the
 * `also` files (the agent's own `cloud.cjs`, wherever it is installed). Compiled code is stored
 * in one file, V8 rejects any entry that no longer matches its source, and anything unexpected
 * falls back to Node's own loader.
 */
export function installModuleCodeCache(
  file: string,
  also: readonly string[] = [],
): ModuleCodeCache {
  const Module = createRequire(import.meta.url)("node:module") as ModuleStatics;
  // Read lazily, entry by entry: a monitor that never loads the SDK never reads the file, and one
  // that loads only oci-common does not pay for oci-core's entries.
  let index: Map<string, [number, number]> | undefined;
  let fd: number | undefined;
  let base = 0;
  const entry = (name: string): Buffer | undefined => {
    try {
      if (index === undefined) {
        index = new Map();
        fd = openSync(file, "r");
        const length = Buffer.alloc(4);
        readSync(fd, length, 0, 4, 0);
        const header = Buffer.alloc(length.readUInt32LE(0));
        readSync(fd, header, 0, header.length, 4);
        base = 4 + header.length;
        for (const [key, start, size] of JSON.parse(header.toString("utf8")) as [
          string,
          number,
          number,
        ][]) {
          index.set(key, [start, size]);
        }
      }
      const where = index.get(name);
      if (where === undefined || fd === undefined) return undefined;
      const data = Buffer.alloc(where[1]);
      readSync(fd, data, 0, where[1], base + where[0]);
      return data;
    } catch {
      return undefined;
    }
  };
  const fresh = new Map<string, Script>();
  const original = Module.prototype._compile;
  Module.prototype._compile = function compileWithCache(
    this: CjsModule,
    content: string,
    filename: string,
  ) {
    if (
      !(filename.includes("/node_modules/") || also.includes(filename)) ||
      content.startsWith("#!")
    ) {
      return original.call(this, content, filename);
    }
    const cachedData = entry(filename);
    const script = new Script(Module.wrap(content), {
      filename,
      ...(cachedData ? { cachedData } : {}),
    });
    if (cachedData === undefined || script.cachedDataRejected) fresh.set(filename, script);
    const resolve = Object.assign(
      (request: string, options?: unknown) =>
        Module._resolveFilename(request, this, false, options),
      { paths: (request: string) => Module._resolveLookupPaths(request, this) },
    );
    const require = Object.assign((id: string) => this.require(id), {
      resolve,
      cache: Module._cache,
      extensions: Module._extensions,
    });
    const fn = script.runInThisContext() as (...args: unknown[]) => unknown;
    return fn.call(this.exports, this.exports, require, this, filename, dirname(filename));
  };
  return {
    save() {
      Module.prototype._compile = original;
      if (fresh.size === 0) {
        if (fd !== undefined) closeSync(fd);
        return;
      }
      const buffers: Buffer[] = [];
      const list: [string, number, number][] = [];
      let offset = 0;
      const add = (name: string, data: Buffer): void => {
        list.push([name, offset, data.length]);
        buffers.push(data);
        offset += data.length;
      };
      entry("");
      for (const name of index?.keys() ?? []) {
        if (fresh.has(name)) continue;
        const data = entry(name);
        if (data) add(name, data);
      }
      if (fd !== undefined) closeSync(fd);
      for (const [name, script] of fresh) add(name, script.createCachedData());
      const header = Buffer.from(JSON.stringify(list), "utf8");
      const length = Buffer.alloc(4);
      length.writeUInt32LE(header.length, 0);
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, Buffer.concat([length, header, ...buffers]), { mode: 0o600 });
      renameSync(temporary, file);
    },
  };
}
