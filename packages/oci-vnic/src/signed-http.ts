import type { HttpRequest, RequestSigner } from "oci-common";
import { OciVnicError, truncate } from "./errors.js";
import { type HttpResponse, httpFetch } from "./http.js";
import type { ProxySettings } from "./proxy.js";

/** The SDK's `HttpClient` shape, answering with our {@link HttpResponse}. */
export interface SignedHttpClient {
  send(request: HttpRequest, forceExcludeBody?: boolean): Promise<HttpResponse>;
}

/** NOT_AUTHENTICATED for credentials whose private key cannot sign `what` (nothing was sent). */
export function signingError(what: string, cause: unknown): OciVnicError {
  const text = String((cause as Error)?.message ?? cause).split("\n")[0] ?? "";
  return new OciVnicError(
    "NOT_AUTHENTICATED",
    `cannot sign ${what} with the credentials' private key: ${truncate(text, 120)}`,
    { operation: "Sign" },
    { cause },
  );
}

/**
 * An SDK `HttpClient` that signs with the given SDK signer (`DefaultRequestSigner`, or the
 * federation client's own) exactly as the SDK's `FetchHttpClient` does, then sends with
 * {@link httpFetch} instead of `fetch`, under `signal`, through `proxy` where it applies. Bodies are strings: every OCI call this
 * package makes has a JSON body or none.
 */
export function signedHttpClient(
  signer: RequestSigner,
  signal: AbortSignal,
  proxy?: ProxySettings | undefined,
): SignedHttpClient {
  return {
    async send(request, forceExcludeBody = false) {
      if (request.body !== undefined && typeof request.body !== "string") {
        throw new TypeError(`${request.method} ${request.uri}: only string bodies are supported`);
      }
      // As FetchHttpClient: an empty body is no body; `forceExcludeBody` leaves it unsigned.
      const body = request.body ? request.body : undefined;
      try {
        await signer.signHttpRequest(
          {
            method: request.method,
            headers: request.headers,
            uri: request.uri,
            body: forceExcludeBody ? undefined : body,
          },
          forceExcludeBody,
        );
      } catch (e) {
        // Nothing was sent: the credentials (e.g. a cached session's key) cannot sign. Callers
        // treat it as a 401: drop the credentials and build new ones once.
        throw signingError(`${request.method} ${new URL(request.uri).pathname}`, e);
      }
      return httpFetch(request.uri, {
        method: request.method,
        headers: request.headers,
        body,
        signal,
        proxy,
      });
    },
  };
}
