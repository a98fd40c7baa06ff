// Finds the tenant of a request from its :authority or its path prefix.

import { TenancyConfig, Tenant } from "./config";
import { startsWithIgnoringCase } from "../../shared/host-bytes";

const MAX_AUTHORITY_CHARS = 255;

/** The host part of an :authority in lower case: port removed, IPv6 brackets kept. */
export function hostOf(authority: string): string {
  let end = authority.length;
  if (authority.startsWith("[")) {
    let close = authority.indexOf("]");
    if (close > 0) end = close + 1;
  } else {
    let colon = authority.lastIndexOf(":");
    if (colon >= 0) end = colon;
  }
  let host = authority.substring(0, end).toLowerCase();
  // A fully qualified name may end with a dot; "acme.localhost." is "acme.localhost".
  if (host.endsWith(".")) host = host.substring(0, host.length - 1);
  return host;
}

export function tenantByHost(config: TenancyConfig, authority: string): Tenant | null {
  if (authority.length == 0 || authority.length > MAX_AUTHORITY_CHARS) return null;
  let host = hostOf(authority);
  for (let i = 0; i < config.tenants.length; i++) {
    let tenant = config.tenants[i];
    for (let j = 0; j < tenant.hosts.length; j++) {
      if (tenant.hosts[j] == host) return tenant;
    }
  }
  return null;
}

/**
 * tenantByHost for an :authority given as the bytes the host handed over, compared in place.
 * Why: a request then costs no string (decoding, the host part, lower-casing: three allocations).
 * Only a name with a non-ASCII byte takes the string path, whose toLowerCase knows Unicode.
 */
export function tenantByAuthority(config: TenancyConfig, authority: usize, length: usize): Tenant | null {
  for (let i: usize = 0; i < length; i++) {
    if (load<u8>(authority + i) >= 0x80) return tenantByHost(config, String.UTF8.decodeUnsafe(authority, length));
  }
  if (length == 0 || length > <usize>MAX_AUTHORITY_CHARS) return null;
  // The host part as hostOf finds it: up to the IPv6 bracket's end, else up to the last ':'.
  let end = length;
  if (load<u8>(authority) == 0x5b) { // '['
    for (let i: usize = 1; i < length; i++) {
      if (load<u8>(authority + i) == 0x5d) { end = i + 1; break; } // ']'
    }
  } else {
    for (let i = length; i > 0; i--) {
      if (load<u8>(authority + i - 1) == 0x3a) { end = i - 1; break; } // ':'
    }
  }
  if (end > 0 && load<u8>(authority + end - 1) == 0x2e) end--; // "acme.localhost." is "acme.localhost"
  for (let i = 0; i < config.tenants.length; i++) {
    let tenant = config.tenants[i];
    for (let j = 0; j < tenant.hostBytes.length; j++) {
      if (equalsIgnoringAsciiCase(authority, end, tenant.hostBytes[j])) return tenant;
    }
  }
  return null;
}

/** `length` ASCII bytes at `text` against a lower-case name. */
function equalsIgnoringAsciiCase(text: usize, length: usize, lowerCase: ArrayBuffer): bool {
  return length == <usize>lowerCase.byteLength && startsWithIgnoringCase(text, length, lowerCase);
}

export function tenantById(config: TenancyConfig, id: string): Tenant | null {
  for (let i = 0; i < config.tenants.length; i++) {
    if (config.tenants[i].id == id) return config.tenants[i];
  }
  return null;
}

/** What the path says: the tenant segment and the path to send upstream without the prefix. */
export class PathTenant {
  id: string = "";
  upstreamPath: string = "/";
}

/** Null when the path does not start with the prefix (path mode off, or a host-routed request). */
export function tenantFromPath(prefix: string, path: string): PathTenant | null {
  if (prefix.length == 0 || !path.startsWith(prefix)) return null;
  let rest = path.substring(prefix.length);
  let end = rest.length;
  for (let i = 0; i < rest.length; i++) {
    let c = rest.charCodeAt(i);
    if (c == 0x2f || c == 0x3f) { end = i; break; } // '/' or '?'
  }
  let result = new PathTenant();
  result.id = rest.substring(0, end).toLowerCase();
  let remainder = rest.substring(end);
  if (remainder.length == 0) result.upstreamPath = "/";
  else if (remainder.charCodeAt(0) == 0x3f) result.upstreamPath = "/" + remainder; // "/t/acme?x" → "/?x"
  else result.upstreamPath = remainder;
  return result;
}
