// Which requests the filter counts: "METHOD /path" patterns where '*' stands for exactly one
// path segment, e.g. "GET /api/images/*/pull". The method may be '*' for any method.

export class PathPattern {
  method: string = "";
  segments: Array<string> = new Array<string>();
}

export function parsePathPattern(text: string): PathPattern | null {
  let space = text.indexOf(" ");
  if (space <= 0) return null;
  let method = text.substring(0, space).toUpperCase();
  let path = text.substring(space + 1);
  if (!path.startsWith("/")) return null;
  let pattern = new PathPattern();
  pattern.method = method;
  pattern.segments = path.substring(1).split("/");
  return pattern;
}

/** Matches a request; `path` may carry a query string, which is ignored. */
export function matchesAny(patterns: Array<PathPattern>, method: string, path: string): bool {
  let query = path.indexOf("?");
  if (query >= 0) path = path.substring(0, query);
  if (!path.startsWith("/")) return false;
  let segments = path.substring(1).split("/");
  for (let i = 0; i < patterns.length; i++) {
    if (matches(patterns[i], method, segments)) return true;
  }
  return false;
}

function matches(pattern: PathPattern, method: string, segments: Array<string>): bool {
  if (pattern.method != "*" && pattern.method != method) return false;
  if (pattern.segments.length != segments.length) return false;
  for (let i = 0; i < segments.length; i++) {
    let expected = pattern.segments[i];
    if (expected == "*") {
      if (segments[i].length == 0) return false;
    } else if (expected != segments[i]) {
      return false;
    }
  }
  return true;
}
