import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Options } from "tsup";

type EsbuildPlugin = NonNullable<Options["esbuildPlugins"]>[number];

/** One third-party package whose code a bundle inlines. */
interface Inlined {
  readonly name: string;
  readonly version: string;
  readonly license: string;
  readonly repository: string | undefined;
  readonly texts: { file: string; text: string }[];
}

const LICENSE_FILE = /^(licen[cs]e|copying|notice)(\.(md|txt|markdown))?$/i;

/** The package directory an inlined file belongs to: the path after the last node_modules/. */
function packageDirOf(file: string): string | undefined {
  const marker = "/node_modules/";
  const at = file.lastIndexOf(marker);
  if (at < 0) return undefined;
  const rest = file.slice(at + marker.length).split("/");
  const depth = rest[0]?.startsWith("@") ? 2 : 1;
  return file.slice(0, at + marker.length) + rest.slice(0, depth).join("/");
}

function describe(dir: string): Inlined | undefined {
  const manifestFile = join(dir, "package.json");
  if (!existsSync(manifestFile)) return undefined;
  const m = JSON.parse(readFileSync(manifestFile, "utf8")) as {
    name: string;
    version: string;
    license?: string | { type?: string };
    repository?: string | { url?: string };
  };
  const texts = readdirSync(dir)
    .filter((f) => LICENSE_FILE.test(f))
    .sort()
    .map((file) => ({ file, text: readFileSync(join(dir, file), "utf8").trim() }));
  return {
    name: m.name,
    version: m.version,
    license: typeof m.license === "string" ? m.license : (m.license?.type ?? "see text"),
    repository: typeof m.repository === "string" ? m.repository : m.repository?.url,
    texts,
  };
}

/**
 * An esbuild plugin for bundles that inline third-party code: it records each inlined package
 * with its licence texts in `<outDir>/.third-party/<bundle>.json`; `scripts/third-party-notices.mjs`
 * (run after tsup by the package's build script) merges those into `dist/THIRD-PARTY-NOTICES.md`.
 */
export function thirdPartyRecorder(bundle: string): EsbuildPlugin {
  return {
    name: "ocfkit-third-party-recorder",
    setup(build) {
      build.initialOptions.metafile = true;
      build.onEnd((result) => {
        if (!result.metafile) return;
        const dirs = new Set<string>();
        for (const input of Object.keys(result.metafile.inputs)) {
          const dir = packageDirOf(resolve(input));
          if (dir) dirs.add(dir);
        }
        const packages = [...dirs].map(describe).filter((p): p is Inlined => p !== undefined);
        const outDir =
          build.initialOptions.outdir ?? dirname(build.initialOptions.outfile ?? "dist/x");
        mkdirSync(join(outDir, ".third-party"), { recursive: true });
        writeFileSync(join(outDir, ".third-party", `${bundle}.json`), JSON.stringify(packages));
      });
    },
  };
}
