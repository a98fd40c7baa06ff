// Which requests the filter counts: "METHOD /path" patterns where '*' stands for exactly one
// path segment, e.g. "GET /api/images/*/pull". The method may be '*' for any method.
//
// Patterns are kept as UTF-8 bytes and requests are matched on the bytes the host handed over,
// in place. Why: every request passes through here, counted or not, and splitting its path into
// strings cost an allocation per segment (plus the path and method as strings) on each of them.

import { bytesEqual } from "../../shared/host-bytes";

const SLASH: u8 = 0x2f;
const QUESTION_MARK: u8 = 0x3f;
const STAR: u8 = 0x2a;

export class PathPattern {
  /** Upper case; "*" is any method. */
  method: string = "";
  methodBytes: ArrayBuffer = new ArrayBuffer(0);
  /** One per path segment, "*" is any non-empty segment. */
  segments: Array<ArrayBuffer> = new Array<ArrayBuffer>();
}

export function parsePathPattern(text: string): PathPattern | null {
  let space = text.indexOf(" ");
  if (space <= 0) return null;
  let method = text.substring(0, space).toUpperCase();
  let path = text.substring(space + 1);
  if (!path.startsWith("/")) return null;
  let pattern = new PathPattern();
  pattern.method = method;
  pattern.methodBytes = String.UTF8.encode(method);
  let segments = path.substring(1).split("/");
  for (let i = 0; i < segments.length; i++) pattern.segments.push(String.UTF8.encode(segments[i]));
  return pattern;
}

/** Whether some pattern's path matches `path` (its bytes; a query string is ignored), whatever the method. */
export function pathMatchesAny(patterns: Array<PathPattern>, path: usize, length: usize): bool {
  for (let i = 0; i < patterns.length; i++) {
    if (pathMatches(patterns[i], path, length)) return true;
  }
  return false;
}

/** Whether some pattern matches both the method and the path (bytes, as the host gave them). */
export function matchesAny(patterns: Array<PathPattern>, method: usize, methodLength: usize, path: usize, pathLength: usize): bool {
  for (let i = 0; i < patterns.length; i++) {
    let pattern = patterns[i];
    if (!isWildcard(pattern.methodBytes) && !bytesEqual(method, methodLength, pattern.methodBytes)) continue;
    if (pathMatches(pattern, path, pathLength)) return true;
  }
  return false;
}

/** The path's segments (between '/'s, up to any '?') against the pattern's, one by one. */
function pathMatches(pattern: PathPattern, path: usize, length: usize): bool {
  let end: usize = 0;
  while (end < length && load<u8>(path + end) != QUESTION_MARK) end++;
  if (end == 0 || load<u8>(path) != SLASH) return false;
  let count = pattern.segments.length;
  let segment = 0;
  let start: usize = 1;
  while (true) {
    let stop = start;
    while (stop < end && load<u8>(path + stop) != SLASH) stop++;
    if (segment >= count) return false;
    let expected = pattern.segments[segment];
    if (isWildcard(expected)) {
      if (stop == start) return false;
    } else if (!bytesEqual(path + start, stop - start, expected)) {
      return false;
    }
    segment++;
    if (stop == end) break;
    start = stop + 1;
  }
  return segment == count;
}

/** "*", as a method or as a path segment. */
function isWildcard(bytes: ArrayBuffer): bool {
  return bytes.byteLength == 1 && load<u8>(changetype<usize>(bytes)) == STAR;
}
