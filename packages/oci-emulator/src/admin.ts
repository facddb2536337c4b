import type { IncomingMessage, ServerResponse } from "node:http";
import { EmulatorError } from "./errors.js";
import type { FaultRule } from "./faults.js";
import { ApiError, invalidParameter, parseJsonBody, sendError, sendJson } from "./http-util.js";
import type { RequestLogEntry } from "./request-log.js";
import type { EmulatorState } from "./state.js";

/** The emulator controls the admin API exposes. */
export interface AdminControls {
  state(): EmulatorState;
  setState(state: unknown): void;
  reset(): void;
  addFault(rule: FaultRule): string;
  removeFault(id: string): boolean;
  clearFaults(): void;
  listFaults(): unknown[];
  requestLog(): RequestLogEntry[];
  clearRequestLog(): void;
  setConsistencyDelay(ms: number): void;
  describe(): unknown;
}

/**
 * Serves `/_emulator/`: `GET|PUT state`, `POST reset`, `GET|POST|DELETE faults`,
 * `DELETE faults/<id>`, `GET|DELETE requests`, `PUT consistency-delay` `{ms}`, `GET info`.
 */
export function createAdminHandler(controls: AdminControls) {
  return async (
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    body: Buffer,
  ): Promise<void> => {
    const method = req.method ?? "GET";
    const route = `${method} ${path.replace(/\/+$/, "")}`;
    try {
      const faultId = /^DELETE \/_emulator\/faults\/([^/]+)$/.exec(route);
      if (faultId) {
        if (!controls.removeFault(faultId[1] ?? ""))
          throw new ApiError(404, "NotFound", `no fault ${faultId[1]}`);
        return sendJson(res, 204, undefined);
      }
      switch (route) {
        case "GET /_emulator/state":
          return sendJson(res, 200, controls.state());
        case "PUT /_emulator/state":
          controls.setState(parseJsonBody(body));
          return sendJson(res, 204, undefined);
        case "POST /_emulator/reset":
          controls.reset();
          return sendJson(res, 204, undefined);
        case "GET /_emulator/faults":
          return sendJson(res, 200, controls.listFaults());
        case "POST /_emulator/faults":
          return sendJson(res, 201, { id: controls.addFault(parseJsonBody(body) as FaultRule) });
        case "DELETE /_emulator/faults":
          controls.clearFaults();
          return sendJson(res, 204, undefined);
        case "GET /_emulator/requests":
          return sendJson(res, 200, controls.requestLog());
        case "DELETE /_emulator/requests":
          controls.clearRequestLog();
          return sendJson(res, 204, undefined);
        case "PUT /_emulator/consistency-delay": {
          const ms = (parseJsonBody(body) as { ms?: unknown } | undefined)?.ms;
          if (typeof ms !== "number" || !Number.isInteger(ms) || ms < 0) {
            throw invalidParameter('body must be {"ms": <non-negative integer>}');
          }
          controls.setConsistencyDelay(ms);
          return sendJson(res, 204, undefined);
        }
        case "GET /_emulator/info":
          return sendJson(res, 200, controls.describe());
        default:
          throw new ApiError(404, "NotFound", `no admin route ${route}`);
      }
    } catch (error) {
      if (error instanceof ApiError) return sendError(res, error);
      if (error instanceof EmulatorError)
        return sendError(res, new ApiError(400, "InvalidParameter", error.message));
      return sendError(res, new ApiError(500, "InternalServerError", String(error)));
    }
  };
}
