import { execFileSync } from "node:child_process";
import { chmod, chown, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isOciVnicError } from "../src/index.js";
import { type Harness, startHarness } from "./harness.js";

// Operator mistakes in auth=config-file: the path names something that is not a config file.
// Each is refused before any request, in bounded time, with a reason that names the file (and
// line) but never quotes it.
let h: Harness;
let dir: string;
const NOBODY = Number(execFileSync("id", ["-u", "nobody"], { encoding: "utf8" }).trim());
const SECRET = "root:$6$s3cr3tHashThatMustNeverBeLogged:19000:0:99999:7:::";

beforeAll(async () => {
  h = await startHarness();
  dir = await mkdtemp(join(tmpdir(), "oci-vnic-cfg-"));
});
afterAll(async () => {
  await h?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function failure(path: string, profile = "DEFAULT") {
  const client = h.client("node1", { auth: { kind: "config-file", path, profile } });
  const error = await client.getAssignment("192.0.2.100").then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isOciVnicError(error)).toBe(true);
  expect(client.requestCounts().ListPrivateIps).toBeUndefined();
  expect(h.emu.requestLog().some((e) => e.operation === "ListPrivateIps")).toBe(false);
  return error as { code: string; message: string; parameter: string | undefined };
}

describe("config file refused", () => {
  it("/dev/zero: not a regular file, without reading it", async () => {
    const e = await failure("/dev/zero");
    expect(e).toMatchObject({ code: "INVALID_PARAMETER", parameter: "auth.path" });
    expect(e.message).toMatch(/OCI config file \/dev\/zero is not a regular file/);
  }, 10_000);

  it("a FIFO with no writer: refused at once instead of blocking", async () => {
    const fifo = join(dir, "fifo");
    execFileSync("mkfifo", [fifo]);
    const e = await failure(fifo);
    expect(e.message).toMatch(/is not a regular file/);
  }, 10_000);

  it("a root-only file such as /etc/shadow: the line number, never the content", async () => {
    const shadow = join(dir, "shadow");
    await writeFile(shadow, `${SECRET}\nbin:*:19000:0:99999:7:::\n`, { mode: 0o640 });
    const e = await failure(shadow);
    expect(e).toMatchObject({ code: "INVALID_PARAMETER", parameter: "auth.path" });
    expect(e.message).toMatch(/OCI config file .*shadow line 1: expected a \[PROFILE\] header/);
    expect(e.message).not.toMatch(/s3cr3t|root:|bin:/);
  });

  it("a file owned by another user, or writable by others", async () => {
    const good = (await h.configAuth()) as { path: string };
    const text = await readFile(good.path, "utf8");
    const foreign = join(dir, "foreign");
    await writeFile(foreign, text, { mode: 0o644 });
    await chown(foreign, NOBODY, NOBODY);
    expect((await failure(foreign)).message).toMatch(
      new RegExp(`owned by uid ${NOBODY}, not by the agent's uid 0`),
    );
    const open = join(dir, "open");
    await writeFile(open, text);
    await chmod(open, 0o666);
    expect((await failure(open)).message).toMatch(/writable by others \(mode 666\)/);
  });

  it("a file larger than 64 KiB", async () => {
    const big = join(dir, "big");
    await writeFile(big, `[DEFAULT]\n${"#".repeat(70_000)}\n`);
    expect((await failure(big)).message).toMatch(/70011 bytes, more than the 65536 allowed/);
  });

  it("a missing file: CREDENTIALS_MISSING (this node lacks it)", async () => {
    const e = await failure(join(dir, "nope"));
    expect(e).toMatchObject({ code: "CREDENTIALS_MISSING", parameter: "auth.path" });
    expect(e.message).toMatch(/cannot be opened \(ENOENT\)/);
  });

  it("a missing profile or key, and a key file that is a FIFO", async () => {
    const good = (await h.configAuth()) as { path: string };
    expect(await failure(good.path, "OTHER")).toMatchObject({
      parameter: "auth.profile",
      message: expect.stringMatching(/has no profile \[OTHER\]/),
    });
    const text = await readFile(good.path, "utf8");
    const noKey = join(dir, "nokey");
    await writeFile(noKey, text.replace(/^key_file=.*$/m, ""));
    expect((await failure(noKey)).message).toMatch(
      /profile \[DEFAULT\] .* \(line 1\) has no key_file/,
    );
    const fifoKey = join(dir, "key-fifo");
    execFileSync("mkfifo", [fifoKey]);
    const withFifo = join(dir, "fifokey");
    await writeFile(withFifo, text.replace(/^key_file=.*$/m, `key_file=${fifoKey}`));
    expect((await failure(withFifo)).message).toMatch(
      /API signing key file .*key-fifo is not a regular file/,
    );
  }, 10_000);
});

it("a good config file still works, relative key_file resolved beside it", async () => {
  const good = (await h.configAuth()) as { path: string; profile: string };
  const client = h.client("node1", { auth: { kind: "config-file", ...good } });
  expect(await client.getAssignment("192.0.2.100")).toBeUndefined();
  expect(client.requestCounts()).toMatchObject({ ListPrivateIps: 1 });
  const text = await readFile(good.path, "utf8");
  await writeFile(good.path, text.replace(/^key_file=.*\/(.*)$/m, "key_file=$1"));
  const relative = h.client("node1", { auth: { kind: "config-file", ...good } });
  expect(await relative.getAssignment("192.0.2.100")).toBeUndefined();
});
