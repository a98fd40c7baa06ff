// Finds the session token of a request: `Authorization: Bearer <token>` first, then the
// session cookie. Works on raw header bytes so a huge header costs one scan and no copies of strings;
// the pairs are read where the host put them and only the two headers that can carry a token are
// copied out (the token must outlive the host's buffer).

import { HeaderPairs } from "../../shared/host-bytes";
import { MAX_TOKEN_BYTES } from "../../shared/session-token";

const AUTHORIZATION = String.UTF8.encode("authorization");
const COOKIE = String.UTF8.encode("cookie");

function lower(c: u8): u8 { return c >= 0x41 && c <= 0x5a ? c + 0x20 : c; }

/** The current pair's name against a lower-case name, without case. */
function nameIs(pairs: HeaderPairs, expected: ArrayBuffer): bool {
  if (pairs.nameLength != <usize>expected.byteLength) return false;
  for (let i: usize = 0; i < pairs.nameLength; i++) {
    if (lower(load<u8>(pairs.name + i)) != load<u8>(changetype<usize>(expected) + i)) return false;
  }
  return true;
}

/** The current pair's value, copied out of the host's buffer. */
function valueCopy(pairs: HeaderPairs): Uint8Array {
  let copy = new Uint8Array(<i32>pairs.valueLength);
  memory.copy(copy.dataStart, pairs.value, pairs.valueLength);
  return copy;
}

function isSpace(c: u8): bool { return c == 0x20 || c == 0x09; }

/** The token after "Bearer " (scheme case-insensitive), or null. */
function bearerToken(value: Uint8Array): Uint8Array | null {
  let scheme = "bearer";
  if (value.length <= scheme.length + 1) return null;
  for (let i = 0; i < scheme.length; i++) {
    if (<i32>lower(value[i]) != scheme.charCodeAt(i)) return null;
  }
  if (!isSpace(value[scheme.length])) return null;
  let start = scheme.length + 1;
  while (start < value.length && isSpace(value[start])) start++;
  let end = value.length;
  while (end > start && isSpace(value[end - 1])) end--;
  if (end <= start) return null;
  return value.subarray(start, end);
}

/** The value of cookie `name` in one Cookie header value, or null. */
function cookieValue(value: Uint8Array, name: Uint8Array): Uint8Array | null {
  let i = 0;
  let n = value.length;
  while (i < n) {
    while (i < n && (isSpace(value[i]) || value[i] == 0x3b)) i++;
    let start = i;
    while (i < n && value[i] != 0x3b) i++;
    // value[start, i) is one "name=value" pair
    let pairLength = i - start;
    if (pairLength > name.length && value[start + name.length] == 0x3d) {
      let same = true;
      for (let k = 0; k < name.length; k++) {
        if (value[start + k] != name[k]) { same = false; break; }
      }
      if (same) {
        let end = i;
        while (end > start && isSpace(value[end - 1])) end--;
        let valueStart = start + name.length + 1;
        // RFC 6265 allows the value to be quoted.
        if (end - valueStart >= 2 && value[valueStart] == 0x22 && value[end - 1] == 0x22) { valueStart++; end--; }
        return value.subarray(valueStart, end);
      }
    }
  }
  return null;
}

export class Credentials {
  token: Uint8Array | null = null;
  /** True when a token was offered but was absurdly large (refused unread). */
  oversized: bool = false;
}

/** `cookie` is the session cookie's name in UTF-8 (encoded once with the configuration). */
export function findCredentials(pairs: HeaderPairs, cookie: Uint8Array): Credentials {
  let found = new Credentials();
  let fromCookie: Uint8Array | null = null;
  pairs.rewind();
  while (pairs.next()) {
    if (found.token === null && nameIs(pairs, AUTHORIZATION)) {
      found.token = bearerToken(valueCopy(pairs));
    } else if (fromCookie === null && nameIs(pairs, COOKIE)) {
      fromCookie = cookieValue(valueCopy(pairs), cookie);
    }
  }
  if (found.token === null) found.token = fromCookie;
  let token = found.token;
  if (token !== null && token.length > MAX_TOKEN_BYTES) {
    found.token = null;
    found.oversized = true;
  }
  return found;
}
