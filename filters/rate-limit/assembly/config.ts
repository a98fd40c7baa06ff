// The plugin configuration of the rate-limit filter (JSON; see the README for the reference).

import { parseJsonBuffer, JsonValue } from "../../shared/json";
import { PathPattern, parsePathPattern } from "./counted-paths";

export const enum FailureMode { Open, Closed }

export class RateLimitConfig {
  /** UTF-8 bytes of the HS256 secret the app signs session tokens with. */
  signingKey: Uint8Array = new Uint8Array(0);
  quotaCluster: string = "quota";
  /** The :authority sent to the quota service (Envoy routes callouts by cluster, apps may check Host). */
  quotaAuthority: string = "quota";
  quotaTimeoutMs: u32 = 500;
  countedPaths: Array<PathPattern> = new Array<PathPattern>();
  failureMode: FailureMode = FailureMode.Open;
  tenantHeader: string = "x-imagehub-tenant";
  cookieName: string = "imagehub_session";
  /** cookieName in UTF-8, encoded once here rather than per counted request. */
  cookieNameBytes: Uint8Array = Uint8Array.wrap(String.UTF8.encode("imagehub_session"));
}

export class ConfigResult {
  config: RateLimitConfig | null = null;
  error: string = "";
  static failed(error: string): ConfigResult { let r = new ConfigResult(); r.error = error; return r; }
}

const MAX_CONFIG_BYTES = 64 * 1024;
export const MIN_KEY_CHARS = 32;
export const DEFAULT_COUNTED_PATH = "GET /api/images/*/pull";

function stringField(root: JsonValue, key: string, fallback: string): string | null {
  let v = root.get(key);
  if (v === null) return fallback;
  if (!v.isString() || v.text.length == 0) return null;
  return v.text;
}

export function parseRateLimitConfig(bytes: ArrayBuffer): ConfigResult {
  if (bytes.byteLength == 0) return ConfigResult.failed("the configuration is empty; it needs at least \"signingKey\"");
  let parsed = parseJsonBuffer(bytes, MAX_CONFIG_BYTES);
  let root = parsed.value;
  if (root === null) return ConfigResult.failed("the configuration is not JSON: " + parsed.error);
  if (!root.isObject()) return ConfigResult.failed("the configuration must be a JSON object");
  let config = new RateLimitConfig();

  let key = root.get("signingKey");
  if (key === null) return ConfigResult.failed("missing key \"signingKey\"");
  if (!key.isString() || key.text.length < MIN_KEY_CHARS) {
    return ConfigResult.failed("\"signingKey\" must be a text secret of at least " + MIN_KEY_CHARS.toString() + " characters");
  }
  config.signingKey = Uint8Array.wrap(String.UTF8.encode(key.text));

  let cluster = stringField(root, "quotaCluster", config.quotaCluster);
  if (cluster === null) return ConfigResult.failed("\"quotaCluster\" must be a cluster name");
  config.quotaCluster = cluster;
  let authority = stringField(root, "quotaAuthority", cluster);
  if (authority === null) return ConfigResult.failed("\"quotaAuthority\" must be a host name");
  config.quotaAuthority = authority;

  let timeout = root.get("quotaTimeoutMs");
  if (timeout !== null) {
    if (!timeout.isNumber() || timeout.number < 1 || timeout.number > 60000 || timeout.number != Math.floor(timeout.number)) {
      return ConfigResult.failed("\"quotaTimeoutMs\" must be a whole number of milliseconds between 1 and 60000");
    }
    config.quotaTimeoutMs = <u32>timeout.number;
  }

  let mode = root.get("failureMode");
  if (mode !== null) {
    if (!mode.isString() || (mode.text != "open" && mode.text != "closed")) {
      return ConfigResult.failed("\"failureMode\" must be \"open\" or \"closed\"");
    }
    config.failureMode = mode.text == "open" ? FailureMode.Open : FailureMode.Closed;
  }

  let header = stringField(root, "tenantHeader", config.tenantHeader);
  if (header === null) return ConfigResult.failed("\"tenantHeader\" must be a header name");
  config.tenantHeader = header.toLowerCase();
  let cookie = stringField(root, "cookieName", config.cookieName);
  if (cookie === null) return ConfigResult.failed("\"cookieName\" must be a cookie name");
  config.cookieName = cookie;
  config.cookieNameBytes = Uint8Array.wrap(String.UTF8.encode(cookie));

  let paths = root.get("countedPaths");
  if (paths === null) {
    config.countedPaths.push(parsePathPattern(DEFAULT_COUNTED_PATH)!);
  } else {
    if (!paths.isArray()) return ConfigResult.failed("\"countedPaths\" must be an array such as [\"" + DEFAULT_COUNTED_PATH + "\"]");
    for (let i = 0; i < paths.items.length; i++) {
      let item = paths.items[i];
      let pattern: PathPattern | null = null;
      if (item.isString()) pattern = parsePathPattern(item.text);
      if (pattern === null) {
        return ConfigResult.failed("countedPaths[" + i.toString() + "] must look like \"GET /api/images/*/pull\" (method, space, path; '*' is one segment)");
      }
      config.countedPaths.push(pattern);
    }
  }

  let result = new ConfigResult();
  result.config = config;
  return result;
}
