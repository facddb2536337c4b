import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

// A private npm registry for the release test: Verdaccio on 127.0.0.1 with NO uplinks, so every
// package a test installs is one we published into it (ours through `changeset publish`, third
// party ones from the repository's own node_modules). Nothing reaches any other host.

const verdaccioBin = fileURLToPath(
  new URL("../node_modules/verdaccio/bin/verdaccio", import.meta.url),
);

/** A running local registry. */
export interface LocalRegistry {
  /** `http://127.0.0.1:PORT/` */
  readonly url: string;
  /** Bearer token of the user that publishes. */
  readonly token: string;
  /** An npmrc that points npm and pnpm at this registry only, with the token. */
  readonly npmrc: string;
  /** Environment for npm/pnpm/changesets child processes: this registry, no other. */
  env(extra?: Record<string, string>): Record<string, string>;
  /** Publishes an installed package directory (its files as they are) as `name@version`. */
  publishDirectory(dir: string): Promise<void>;
  /** Names and versions the registry holds. */
  list(): Promise<Record<string, string[]>>;
  /** Stops Verdaccio (by PID) and waits for it. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** Refuses any registry URL that is not on this machine's loopback (the network rule). */
export function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (host !== "127.0.0.1" && host !== "localhost" && host !== "[::1]") {
    throw new Error(`release test: registry ${url} is not on loopback; refusing to run`);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Starts Verdaccio with its storage in `dir`, creates a publishing user, returns the registry. */
export async function startRegistry(dir: string): Promise<LocalRegistry> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  assertLoopback(url);
  mkdirSync(join(dir, "storage"), { recursive: true });
  const config = join(dir, "config.yaml");
  writeFileSync(
    config,
    [
      `storage: ${join(dir, "storage")}`,
      "auth:",
      "  htpasswd:",
      `    file: ${join(dir, "htpasswd")}`,
      "    max_users: 10",
      "uplinks: {}",
      "packages:",
      "  '**':",
      "    access: $all",
      "    publish: $authenticated",
      "    unpublish: $authenticated",
      "publish:",
      "  allow_offline: true",
      "web:",
      "  enable: false",
      "max_body_size: 200mb",
      "log: { type: stdout, format: pretty, level: error }",
      `listen: 127.0.0.1:${port}`,
      "",
    ].join("\n"),
  );
  const child: ChildProcess = spawn(process.execPath, [verdaccioBin, "--config", config], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { PATH: process.env.PATH ?? "", HOME: dir },
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const res = await fetch(`${url}-/ping`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`verdaccio did not start: ${output.slice(-2000)}`);
    }
    await sleep(200);
  }
  const res = await fetch(`${url}-/user/org.couchdb.user:ocfkit`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "ocfkit", password: "release-test-only", type: "user" }),
  });
  const { token } = (await res.json()) as { token?: string };
  if (!res.ok || !token) throw new Error(`verdaccio refused the test user: ${res.status}`);
  const authority = url.replace(/^http:/, "");
  const npmrc = join(dir, "npmrc");
  writeFileSync(npmrc, `registry=${url}\n${authority}:_authToken=${token}\n`);

  const env = (extra: Record<string, string> = {}): Record<string, string> => ({
    PATH: process.env.PATH ?? "",
    HOME: join(dir, "home"),
    npm_config_userconfig: npmrc,
    npm_config_globalconfig: join(dir, "npmrc-global-unused"),
    npm_config_registry: url,
    npm_config_cache: join(dir, "npm-cache"),
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
    npm_config_loglevel: "error",
    TURBO_TELEMETRY_DISABLED: "1",
    DO_NOT_TRACK: "1",
    ...extra,
  });
  mkdirSync(join(dir, "home"), { recursive: true });

  return {
    url,
    token,
    npmrc,
    env,
    async publishDirectory(pkgDir) {
      const manifest = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")) as {
        name: string;
        version: string;
        publishConfig?: unknown;
      };
      delete manifest.publishConfig;
      // npm's tarball layout: every file under "package/", the package.json as published.
      const tarball = execFileSync(
        "tar",
        [
          "-czf",
          "-",
          "--dereference",
          // pnpm's store hard-links identical files: store each as a file (npm drops link entries)
          "--hard-dereference",
          "--exclude=./node_modules",
          "--owner=0",
          "--group=0",
          "-C",
          pkgDir,
          "--transform",
          "s,^\\.,package,",
          ".",
        ],
        { maxBuffer: 256 * 1024 * 1024 },
      );
      const file = `${manifest.name}-${manifest.version}.tgz`;
      const integrity = `sha512-${createHash("sha512").update(tarball).digest("base64")}`;
      const shasum = createHash("sha1").update(tarball).digest("hex");
      const body = {
        _id: manifest.name,
        name: manifest.name,
        "dist-tags": { latest: manifest.version },
        versions: {
          [manifest.version]: {
            ...manifest,
            _id: `${manifest.name}@${manifest.version}`,
            dist: { integrity, shasum, tarball: `${url}${manifest.name}/-/${file}` },
          },
        },
        _attachments: {
          [file]: {
            content_type: "application/octet-stream",
            data: tarball.toString("base64"),
            length: tarball.length,
          },
        },
      };
      // Large bodies (typescript is ~30 MB as JSON) can meet a reset under load: try again.
      for (let attempt = 1; ; attempt++) {
        try {
          const put = await fetch(`${url}${manifest.name.replace("/", "%2f")}`, {
            method: "PUT",
            headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
            body: JSON.stringify(body),
          });
          if (put.ok || put.status === 409) return;
          throw new Error(`${put.status} ${await put.text()}`);
        } catch (error) {
          if (attempt >= 4) {
            throw new Error(`publish ${manifest.name}@${manifest.version}: ${String(error)}`, {
              cause: error,
            });
          }
          await sleep(500 * attempt);
        }
      }
    },
    async list() {
      const res = await fetch(`${url}-/verdaccio/data/packages`).catch(() => undefined);
      const out: Record<string, string[]> = {};
      if (res?.ok) {
        for (const p of (await res.json()) as { name: string; version: string }[]) {
          out[p.name] = [...(out[p.name] ?? []), p.version];
        }
      }
      return out;
    },
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await Promise.race([exited, sleep(5_000)]);
      if (child.exitCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}
