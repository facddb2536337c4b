import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { type EmulatorContext, principalLabel, resolveApiKey } from "./context.js";
import { federate, federationInstance } from "./federation.js";
import {
  ApiError,
  defaultCodeFor,
  notAuthenticated,
  parseJsonBody,
  readBody,
  requestId,
  sendError,
  sendJson,
  sendText,
  splitUrl,
} from "./http-util.js";
import { answerImds } from "./imds.js";
import type { LatencyModel } from "./latency.js";
import type { RequestLog, RequestLogEntry } from "./request-log.js";
import { matchRoute } from "./routes.js";
import { verifySignature } from "./signature.js";

/** Answers `/_emulator/...`; returns false when the path is not an admin route. */
export type AdminHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  body: Buffer,
) => Promise<void>;

/** What the HTTP request handler needs besides the context. */
export interface ServerDeps {
  ctx: EmulatorContext;
  log: RequestLog;
  hung: Set<ServerResponse>;
  admin: AdminHandler;
  /** The latency profile: a delay per operation before it is answered. */
  latency?: () => LatencyModel;
}

/** Admin bodies carry whole states; the scenario's API body limit does not apply to them. */
const adminBodyLimit = 64 * 1024 * 1024;
const imdsPath = /^\/imds\/([^/]+)\/opc\/(v[0-9]+)\/(.*)$/;

/** Creates the `node:http` request listener that serves every emulated endpoint. */
export function createRequestHandler(
  deps: ServerDeps,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void handle(deps, req, res);
  };
}

async function applyFault(
  deps: ServerDeps,
  req: IncomingMessage,
  res: ServerResponse,
  entry: RequestLogEntry,
): Promise<boolean> {
  const delay = deps.latency?.().delayFor(entry.operation) ?? 0;
  if (delay > 0) await sleep(delay, undefined, { ref: false });
  const fault = deps.ctx.faults.take(entry.operation, entry.instance);
  if (!fault) return false;
  entry.fault = fault.id;
  const { rule } = fault;
  if (rule.latencyMs) await sleep(rule.latencyMs, undefined, { ref: false });
  if (rule.hang) {
    deps.hung.add(res);
    res.on("close", () => deps.hung.delete(res));
    return true;
  }
  if (rule.reset) {
    req.socket.resetAndDestroy();
    return true;
  }
  if (rule.status !== undefined) {
    const headers: Record<string, string> = {};
    if (rule.retryAfterSeconds !== undefined)
      headers["retry-after"] = String(rule.retryAfterSeconds);
    throw new ApiError(
      rule.status,
      rule.code ?? defaultCodeFor(rule.status),
      `injected fault ${fault.id}`,
      headers,
    );
  }
  return false;
}

async function handle(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { ctx } = deps;
  const started = ctx.now();
  // The service's clock, not Node's (see Emulator.setClockOffset).
  res.setHeader("date", new Date(started).toUTCString());
  const method = req.method ?? "GET";
  const url = req.url ?? "/";
  const { path, query } = splitUrl(url);
  const rid = requestId(req);
  const base = { "opc-request-id": rid };
  const entry: RequestLogEntry = {
    time: new Date(started).toISOString(),
    method,
    path,
    operation: "Unknown",
    status: 0,
    signature: "n/a",
    requestId: rid,
    durationMs: 0,
  };
  let logged = true;
  try {
    const isAdmin = path.startsWith("/_emulator/") || path === "/_emulator";
    const body = await readBody(req, isAdmin ? adminBodyLimit : ctx.scenario.maxBodyBytes);
    if (isAdmin) {
      logged = false;
      await deps.admin(req, res, path, body);
      return;
    }
    const imds = imdsPath.exec(path);
    if (imds) {
      entry.operation = "Imds";
      const name = imds[1] ?? "";
      const inst = ctx.scenario.instances.find((i) => encodeURIComponent(i.name) === name);
      if (!inst)
        throw new ApiError(404, "NotFound", `no instance named ${imds[1]} in the scenario`);
      entry.instance = inst.name;
      if (await applyFault(deps, req, res, entry)) return;
      if (imds[2] !== "v2")
        throw new ApiError(404, "NotFound", "only the metadata service v2 (/opc/v2/) is enabled");
      if (method !== "GET")
        throw new ApiError(405, "MethodNotAllowed", "the metadata service answers GET only");
      const answer = answerImds(ctx, inst, imds[3] ?? "", req.headers);
      sendText(res, answer.status, answer.text, { ...base, "content-type": answer.contentType });
      return;
    }
    if (path === "/v1/x509") {
      entry.operation = "Federation";
      const inst = federationInstance(ctx, body);
      if (inst) entry.instance = inst.name;
      if (await applyFault(deps, req, res, entry)) return;
      if (method !== "POST") throw new ApiError(405, "MethodNotAllowed", "federation takes POST");
      const { token } = federate(ctx, { method, url, headers: req.headers, body }, (verdict) => {
        entry.signature = verdict;
      });
      entry.principal = `instance:${inst?.name}`;
      sendJson(res, 200, { token }, base);
      return;
    }
    if (!path.startsWith("/20160918/"))
      throw new ApiError(404, "NotFound", `no OCI endpoint at ${path}`);
    const route = matchRoute(method, path);
    entry.operation = route.operation;
    const checked = verifySignature(
      { method, url, headers: req.headers, body },
      {
        now: ctx.now(),
        maxSkewMs: ctx.scenario.maxClockSkewSeconds * 1000,
        resolveKey: (k) => resolveApiKey(ctx, k),
      },
    );
    entry.signature = checked.verdict;
    if (checked.verdict === "ok") {
      entry.principal = principalLabel(checked.principal);
      if (checked.principal.kind === "instance") entry.instance = checked.principal.name;
    } else {
      entry.reason = checked.reason;
    }
    if (await applyFault(deps, req, res, entry)) return;
    if (checked.verdict !== "ok") throw notAuthenticated(checked.reason);
    if ("status" in route) {
      throw route.status === 405
        ? new ApiError(405, "MethodNotAllowed", `${method} is not allowed on ${path}`)
        : new ApiError(404, "NotFound", `no VirtualNetwork or Compute operation at ${path}`);
    }
    const parsed = method === "POST" || method === "PUT" ? parseJsonBody(body) : undefined;
    const result = route.handler({
      ctx,
      principal: checked.principal,
      params: route.params,
      query,
      body: parsed,
      headers: req.headers,
    });
    sendJson(res, result.status, result.body, { ...base, ...(result.headers ?? {}) });
  } catch (error) {
    const apiError =
      error instanceof ApiError
        ? error
        : new ApiError(500, "InternalServerError", `oci-emulator bug: ${String(error)}`);
    sendError(res, apiError, base);
  } finally {
    entry.status = res.headersSent ? res.statusCode : 0;
    entry.durationMs = Math.round((ctx.now() - started) * 100) / 100;
    if (logged) deps.log.push(entry);
  }
}
