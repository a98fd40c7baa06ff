// Reads and changes header maps through every header hostcall.
import { RootContext, Context, FilterHeadersStatusValues, stream_context,
  log, LogLevelValues } from "@solo-io/proxy-runtime";
import { getHeader, addHeader, headerMapSize, setHeaderPairs } from "./raw";

const RequestHeaders: u32 = 0;
const ResponseHeaders: u32 = 2;

export class HeadersRoot extends RootContext {
  createContext(context_id: u32): Context {
    return new HeadersStream(context_id, this);
  }
}

class HeadersStream extends Context {
  onRequestHeaders(headers: u32, end_of_stream: bool): FilterHeadersStatusValues {
    let request = stream_context.headers.request;
    let count = request.get_headers().length;
    let size = headerMapSize(RequestHeaders);
    request.add("x-path-seen", request.get(":path") + " " + request.get(":method") + " " + request.get(":authority"));
    request.replace("x-replace", "new");
    request.remove("x-remove");
    request.add("X-Mixed-Case", "kept");
    request.add("x-count", count.toString() + "/" + headers.toString());
    request.add("x-size", size.status.toString() + ":" + size.number.toString());
    request.add("x-missing-status", getHeader(RequestHeaders, "x-not-there").status.toString());
    request.add("x-case-insensitive", request.get("X-CASE-TEST"));
    return FilterHeadersStatusValues.Continue;
  }

  onResponseHeaders(headers: u32, end_of_stream: bool): FilterHeadersStatusValues {
    let response = stream_context.headers.response;
    let pairs = response.get_headers();
    let reversed: string[] = [];
    for (let i = pairs.length - 1; i >= 0; i--) {
      reversed.push(String.UTF8.decode(pairs[i].key));
      reversed.push(String.UTF8.decode(pairs[i].value));
    }
    reversed.push("x-rewritten");
    reversed.push("1");
    log(LogLevelValues.info, "set pairs=" + setHeaderPairs(ResponseHeaders, reversed).toString());
    // Request headers are gone once the request went upstream (Envoy): BadArgument.
    log(LogLevelValues.info, "late request header add=" + addHeader(RequestHeaders, "x-late", "1").toString());
    return FilterHeadersStatusValues.Continue;
  }
}
