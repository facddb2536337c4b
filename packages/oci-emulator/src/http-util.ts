import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/** An error the emulator answers with OCI's `{code, message}` body and the given status. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;
  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

/** OCI's message for the hidden 404 (missing IAM policy or unknown resource). */
export const notAuthorizedOrNotFound = (): ApiError =>
  new ApiError(
    404,
    "NotAuthorizedOrNotFound",
    "Authorization failed or requested resource not found.",
  );

/** OCI's 401, with the emulator's reason appended to help whoever debugs a signer. */
export const notAuthenticated = (reason: string): ApiError =>
  new ApiError(
    401,
    "NotAuthenticated",
    `The required information to complete authentication was not provided or was incorrect. (oci-emulator: ${reason})`,
  );

/** 400 InvalidParameter with a message naming the parameter. */
export const invalidParameter = (message: string): ApiError =>
  new ApiError(400, "InvalidParameter", message);

/**
 * A required argument that is absent: OCI answers 400 `MissingParameter` (API Errors reference),
 * not `InvalidParameter`.
 */
export const missingParameter = (name: string): ApiError =>
  new ApiError(400, "MissingParameter", `${name} is required`);

/** The default service code OCI uses for a status, for injected faults without a `code`. */
export function defaultCodeFor(status: number): string {
  const codes: Record<number, string> = {
    400: "InvalidParameter",
    401: "NotAuthenticated",
    404: "NotAuthorizedOrNotFound",
    409: "IncorrectState",
    412: "NoEtagMatch",
    429: "TooManyRequests",
    500: "InternalServerError",
    502: "BadGateway",
    503: "ServiceUnavailable",
    504: "GatewayTimeout",
  };
  return codes[status] ?? "InternalServerError";
}

/** Reads a request body up to `limit` bytes; beyond it, throws a 413. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) {
    req.resume();
    throw new ApiError(413, "RequestEntityTooLarge", `the request body exceeds ${limit} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit)
      throw new ApiError(413, "RequestEntityTooLarge", `the request body exceeds ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/** A new server-side request id, prefixed by the client's as OCI does. */
export function requestId(req: IncomingMessage): string {
  const own = randomBytes(16).toString("hex").toUpperCase();
  const client = req.headers["opc-request-id"];
  return typeof client === "string" && client !== "" ? `${client}/${own}` : own;
}

/** Sends a JSON body (or none for 204) with the given headers. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  if (status === 204 || body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Sends plain text. */
export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    "content-type": "text/plain",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Sends an {@link ApiError} as OCI does. */
export function sendError(
  res: ServerResponse,
  error: ApiError,
  headers: Record<string, string> = {},
): void {
  sendJson(
    res,
    error.status,
    { code: error.code, message: error.message },
    { ...headers, ...error.headers },
  );
}

/** Parses a JSON body; malformed JSON is 400 InvalidParameter. */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw invalidParameter("the request body is not valid JSON");
  }
}

/** Splits `path?query` and decodes query values leniently (the SDK does not encode them). */
export function splitUrl(url: string): { path: string; query: Map<string, string> } {
  const index = url.indexOf("?");
  const path = index < 0 ? url : url.slice(0, index);
  const query = new Map<string, string>();
  if (index >= 0) {
    for (const pair of url.slice(index + 1).split("&")) {
      if (pair === "") continue;
      const eq = pair.indexOf("=");
      const key = eq < 0 ? pair : pair.slice(0, eq);
      const raw = eq < 0 ? "" : pair.slice(eq + 1);
      let value = raw;
      try {
        value = decodeURIComponent(raw.replace(/\+/g, " "));
      } catch {
        value = raw;
      }
      query.set(key, value);
    }
  }
  return { path, query };
}
