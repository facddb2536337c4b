import { invalidParameter } from "./errors.js";
import { type Cidr, cidrContains, type IpAddress, tryParseCidr, tryParseIp } from "./ip.js";

/**
 * Proxy settings of `createOciVnic` and `createOciApiClient`. Given, they replace the
 * environment variables (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`) entirely; `false` turns proxies off.
 */
export interface ProxyOptions {
  /** Proxy for `https://` endpoints (as `HTTPS_PROXY`), e.g. `http://user:pass@proxy.example.com:3128`. */
  httpsProxy?: string | undefined;
  /** Proxy for `http://` endpoints (as `HTTP_PROXY`). */
  httpProxy?: string | undefined;
  /** Hosts reached directly (as `NO_PROXY`): names, suffixes, IPs, CIDR blocks, `:port`, or `*`. */
  noProxy?: string | undefined;
}

/** A validated proxy server: where to connect and what to send it. */
export interface ProxyServer {
  /** Host name or IP (IPv6 without brackets). */
  readonly host: string;
  readonly port: number;
  /** An `https://` proxy: TLS to the proxy itself (verified as any endpoint is). */
  readonly tls: boolean;
  /** `Basic ...` for the `Proxy-Authorization` header, when the URL carries credentials. */
  readonly authorization: string | undefined;
  /** The proxy URL with any credentials replaced by `***`, for messages. */
  readonly shown: string;
}

/** One `NO_PROXY` entry. */
type NoProxyRule =
  | { kind: "name"; name: string; port: number | undefined }
  | { kind: "ip"; cidr: Cidr; port: number | undefined };

/** Proxy selection after validation: what {@link proxyFor} consults for every request. */
export interface ProxySettings {
  readonly https: ProxyServer | undefined;
  readonly http: ProxyServer | undefined;
  /** `*`: nothing is proxied. */
  readonly noProxyAll: boolean;
  readonly noProxy: readonly NoProxyRule[];
}

/** The user info of a URL replaced by `***` (a password may itself contain `@`). */
export function redactProxyUrl(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, "$1***@");
}

const proxyAllowed =
  "an http:// or https:// proxy URL such as http://proxy.example.com:3128 (user:password@ allowed)";

/** Parses one proxy URL; throws INVALID_PARAMETER naming `name`, never quoting credentials. */
export function parseProxyUrl(name: string, value: string): ProxyServer {
  const shown = redactProxyUrl(value.trim());
  let url: URL;
  try {
    // As curl: a proxy given without a scheme is an http:// proxy.
    const text = value.trim();
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    throw invalidParameter(name, proxyAllowed, shown);
  }
  const path = url.pathname === "/" || url.pathname === "";
  const tls = url.protocol === "https:";
  if ((!tls && url.protocol !== "http:") || !url.hostname || !path || url.search || url.hash) {
    throw invalidParameter(name, proxyAllowed, shown);
  }
  let user: string;
  let password: string;
  try {
    user = decodeURIComponent(url.username);
    password = decodeURIComponent(url.password);
  } catch {
    throw invalidParameter(name, `${proxyAllowed}, its user info percent-encoded`, shown);
  }
  const authorization =
    user || password
      ? `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`
      : undefined;
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: url.port ? Number(url.port) : tls ? 443 : 80,
    tls,
    authorization,
    shown: `${url.protocol}//${authorization ? "***@" : ""}${url.host}`,
  };
}

/** Splits a host[:port] entry; IPv6 may come bare or in brackets (`[::1]:8080`). */
function splitHostPort(entry: string): { host: string; port: string | undefined } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { host: bracketed[1]!, port: bracketed[2] };
  const colons = entry.split(":").length - 1;
  if (colons === 1) {
    const [host, port] = entry.split(":") as [string, string];
    return { host, port };
  }
  return { host: entry, port: undefined };
}

/** Parses a `NO_PROXY` value (comma or space separated); throws INVALID_PARAMETER naming `name`. */
export function parseNoProxy(name: string, value: string): { all: boolean; rules: NoProxyRule[] } {
  const rules: NoProxyRule[] = [];
  let all = false;
  const allowed =
    "comma-separated host names, .suffixes, IP addresses, CIDR blocks (each with an optional :port), or *";
  for (const raw of value.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (entry === "") continue;
    if (entry === "*") {
      all = true;
      continue;
    }
    const cidr = tryParseCidr(entry);
    if (cidr) {
      rules.push({ kind: "ip", cidr, port: undefined });
      continue;
    }
    const { host, port: portText } = splitHostPort(entry);
    const port = portText === undefined ? undefined : Number(portText);
    if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
      throw invalidParameter(name, allowed, entry);
    }
    const ip = tryParseIp(host);
    if (ip) {
      rules.push({ kind: "ip", cidr: hostCidr(ip), port });
      continue;
    }
    const hostCidrBlock = tryParseCidr(host);
    if (hostCidrBlock) {
      rules.push({ kind: "ip", cidr: hostCidrBlock, port });
      continue;
    }
    // `.example.com` and `*.example.com` mean the same as `example.com`: it and its subdomains.
    const bare = host.replace(/^\*?\.+/, "");
    if (!/^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*\.?$/.test(bare)) {
      throw invalidParameter(name, allowed, entry);
    }
    rules.push({ kind: "name", name: bare.replace(/\.$/, ""), port });
  }
  return { all, rules };
}

function hostCidr(ip: IpAddress): Cidr {
  const bits = ip.family === 4 ? 32 : 128;
  return { family: ip.family, network: ip.address, prefixLength: bits, value: ip.value };
}

/** `::ffff:a.b.c.d` as the IPv4 address it maps; anything else unchanged. */
function unmapped(ip: IpAddress): IpAddress {
  if (ip.family === 6 && ip.value >> 32n === 0xffffn) {
    const v = ip.value & 0xffffffffn;
    const address = [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 0xffn)).join(".");
    return { family: 4, address, value: v };
  }
  return ip;
}

// Loopback, link-local (the metadata service's 169.254.169.254) and the metadata service's
// IPv6 address (fd00:c1::a9fe:a9fe, per OCI's "Getting Instance Metadata").
const neverProxied = [
  "127.0.0.0/8",
  "169.254.0.0/16",
  "::1/128",
  "fe80::/10",
  "fd00:c1::a9fe:a9fe/128",
].map((c) => tryParseCidr(c)!);

/**
 * Reads the proxy settings: from `option` when given (`false`: none), else from `env`
 * (`https_proxy` before `HTTPS_PROXY`, and so on, as curl). Undefined when no proxy is set.
 */
export function resolveProxy(
  option: ProxyOptions | false | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ProxySettings | undefined {
  if (option === false) return undefined;
  const pick = (lower: string, upper: string): [string, string] | undefined => {
    for (const key of [lower, upper]) {
      const value = env[key];
      if (value !== undefined && value.trim() !== "") return [key, value];
    }
    return undefined;
  };
  let https: [string, string] | undefined;
  let http: [string, string] | undefined;
  let noProxy: [string, string] | undefined;
  if (option !== undefined) {
    if (typeof option !== "object" || option === null) {
      throw invalidParameter("proxy", "false or { httpsProxy?, httpProxy?, noProxy? }", option);
    }
    for (const key of ["httpsProxy", "httpProxy", "noProxy"] as const) {
      const value = option[key];
      if (value !== undefined && typeof value !== "string") {
        throw invalidParameter(`proxy.${key}`, "a string", typeof value);
      }
    }
    const given = (key: keyof ProxyOptions): [string, string] | undefined => {
      const value = option[key];
      return value !== undefined && value.trim() !== "" ? [`proxy.${key}`, value] : undefined;
    };
    https = given("httpsProxy");
    http = given("httpProxy");
    noProxy = given("noProxy");
  } else {
    https = pick("https_proxy", "HTTPS_PROXY");
    http = pick("http_proxy", "HTTP_PROXY");
    noProxy = pick("no_proxy", "NO_PROXY");
  }
  if (!https && !http) return undefined;
  const parsedNoProxy = noProxy ? parseNoProxy(...noProxy) : { all: false, rules: [] };
  return {
    https: https ? parseProxyUrl(...https) : undefined,
    http: http ? parseProxyUrl(...http) : undefined,
    noProxyAll: parsedNoProxy.all,
    noProxy: parsedNoProxy.rules,
  };
}

/**
 * The proxy a request to `target` goes through, or undefined to connect directly. Loopback
 * (127.0.0.0/8, ::1, localhost), link-local (169.254.0.0/16, fe80::/10) and the metadata
 * service's IPv6 address always go directly: no proxy can reach this instance's metadata
 * service. So do `NO_PROXY` matches.
 */
export function proxyFor(
  target: URL,
  settings: ProxySettings | undefined,
): ProxyServer | undefined {
  if (!settings) return undefined;
  const server = target.protocol === "https:" ? settings.https : settings.http;
  if (!server || settings.noProxyAll) return undefined;
  const host = target.hostname
    .replace(/^\[(.*)\]$/, "$1")
    .toLowerCase()
    .replace(/\.$/, "");
  const port = Number(target.port || (target.protocol === "https:" ? 443 : 80));
  const parsed = tryParseIp(host);
  const ip = parsed ? unmapped(parsed) : undefined;
  if (ip && neverProxied.some((c) => cidrContains(c, ip))) return undefined;
  if (host === "localhost" || host.endsWith(".localhost")) return undefined;
  for (const rule of settings.noProxy) {
    if (rule.port !== undefined && rule.port !== port) continue;
    if (rule.kind === "ip") {
      if (ip && cidrContains(rule.cidr, ip)) return undefined;
    } else if (!ip && (host === rule.name || host.endsWith(`.${rule.name}`))) {
      return undefined;
    }
  }
  return server;
}
