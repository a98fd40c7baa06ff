// The plugin configuration of the multi-tenancy filter (JSON; see the README for the reference).

import { parseJsonBuffer, JsonValue } from "../../shared/json";

export class Tenant {
  id: string = "";
  hosts: Array<string> = new Array<string>();
  // The same in UTF-8, encoded once here: a request compares and writes bytes, never encodes.
  idBytes: ArrayBuffer = new ArrayBuffer(0);
  hostBytes: Array<ArrayBuffer> = new Array<ArrayBuffer>();
}

export class TenancyConfig {
  tenants: Array<Tenant> = new Array<Tenant>();
  /** "/t/" style prefix that carries the tenant in the path; empty = path mode off. */
  pathPrefix: string = "";
  tenantHeader: string = "x-imagehub-tenant";
  /** Client headers starting with this are removed: nobody outside the mesh may claim an identity. */
  stripHeaderPrefix: string = "x-imagehub-";
  // UTF-8 copies of the three above, for the per-request path (see Tenant).
  pathPrefixBytes: ArrayBuffer = new ArrayBuffer(0);
  tenantHeaderBytes: ArrayBuffer = String.UTF8.encode("x-imagehub-tenant");
  stripHeaderPrefixBytes: ArrayBuffer = String.UTF8.encode("x-imagehub-");
}

export class ConfigResult {
  config: TenancyConfig | null = null;
  error: string = "";
  static failed(error: string): ConfigResult { let r = new ConfigResult(); r.error = error; return r; }
}

const MAX_CONFIG_BYTES = 256 * 1024;

/** Tenant ids appear in headers, paths and metric names, so they stay in [a-z0-9-]. */
export function isTenantId(id: string): bool {
  if (id.length == 0 || id.length > 63) return false;
  for (let i = 0; i < id.length; i++) {
    let c = id.charCodeAt(i);
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c == 0x2d)) return false;
  }
  return true;
}

function isHeaderName(name: string): bool {
  if (name.length == 0 || name.length > 128) return false;
  for (let i = 0; i < name.length; i++) {
    let c = name.charCodeAt(i);
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c == 0x2d || c == 0x5f)) return false;
  }
  return true;
}

function optionalString(root: JsonValue, key: string, fallback: string): string | null {
  let v = root.get(key);
  if (v === null) return fallback;
  if (!v.isString()) return null;
  return v.text;
}

export function parseTenancyConfig(bytes: ArrayBuffer): ConfigResult {
  if (bytes.byteLength == 0) return ConfigResult.failed("the configuration is empty; it needs at least \"tenants\"");
  let parsed = parseJsonBuffer(bytes, MAX_CONFIG_BYTES);
  let root = parsed.value;
  if (root === null) return ConfigResult.failed("the configuration is not JSON: " + parsed.error);
  if (!root.isObject()) return ConfigResult.failed("the configuration must be a JSON object");

  let config = new TenancyConfig();
  let tenants = root.get("tenants");
  if (tenants === null) return ConfigResult.failed("missing key \"tenants\"");
  if (!tenants.isArray() || tenants.items.length == 0) return ConfigResult.failed("\"tenants\" must be a non-empty array");

  let prefix = optionalString(root, "pathPrefix", "");
  if (prefix === null) return ConfigResult.failed("\"pathPrefix\" must be a string such as \"/t/\"");
  if (prefix.length > 0 && (!prefix.startsWith("/") || !prefix.endsWith("/") || prefix.length < 3)) {
    return ConfigResult.failed("\"pathPrefix\" must start and end with '/', such as \"/t/\"");
  }
  config.pathPrefix = prefix;
  config.pathPrefixBytes = String.UTF8.encode(prefix);

  let tenantHeader = optionalString(root, "tenantHeader", config.tenantHeader);
  if (tenantHeader === null || !isHeaderName(tenantHeader)) return ConfigResult.failed("\"tenantHeader\" must be a lower-case header name");
  config.tenantHeader = tenantHeader;
  config.tenantHeaderBytes = String.UTF8.encode(tenantHeader);
  let strip = optionalString(root, "stripHeaderPrefix", config.stripHeaderPrefix);
  if (strip === null || !isHeaderName(strip)) return ConfigResult.failed("\"stripHeaderPrefix\" must be a lower-case header name prefix");
  config.stripHeaderPrefix = strip;
  config.stripHeaderPrefixBytes = String.UTF8.encode(strip);

  for (let i = 0; i < tenants.items.length; i++) {
    let entry = tenants.items[i];
    let where = "tenants[" + i.toString() + "]";
    if (!entry.isObject()) return ConfigResult.failed(where + " must be an object");
    let id = entry.get("id");
    if (id === null) return ConfigResult.failed(where + ": missing key \"id\"");
    if (!id.isString() || !isTenantId(id.text)) return ConfigResult.failed(where + ".id must be lower-case letters, digits and '-'");
    let tenant = new Tenant();
    tenant.id = id.text;
    tenant.idBytes = String.UTF8.encode(id.text);
    for (let j = 0; j < config.tenants.length; j++) {
      if (config.tenants[j].id == tenant.id) return ConfigResult.failed("tenant \"" + tenant.id + "\" is listed twice");
    }
    let hosts = entry.get("hosts");
    if (hosts !== null) {
      if (!hosts.isArray()) return ConfigResult.failed(where + ".hosts must be an array of host names");
      for (let j = 0; j < hosts.items.length; j++) {
        let host = hosts.items[j];
        if (!host.isString() || host.text.length == 0) return ConfigResult.failed(where + ".hosts[" + j.toString() + "] must be a host name");
        let name = host.text.toLowerCase();
        tenant.hosts.push(name);
        tenant.hostBytes.push(String.UTF8.encode(name));
      }
    }
    if (tenant.hosts.length == 0 && config.pathPrefix.length == 0) {
      return ConfigResult.failed(where + " has no hosts and path-prefix mode is off, so it can never be reached");
    }
    config.tenants.push(tenant);
  }

  let result = new ConfigResult();
  result.config = config;
  return result;
}
