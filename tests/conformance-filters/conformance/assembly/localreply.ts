// Answers /deny locally; adds a response header that shows which responses it saw.
import { RootContext, Context, FilterHeadersStatusValues, stream_context, send_local_response,
  HeaderPair, Headers, GrpcStatusValues } from "@solo-io/proxy-runtime";
import { closeStream } from "./raw";

export class LocalReplyRoot extends RootContext {
  createContext(context_id: u32): Context {
    return new LocalReplyStream(context_id, this);
  }
}

class LocalReplyStream extends Context {
  onRequestHeaders(headers: u32, end_of_stream: bool): FilterHeadersStatusValues {
    let path = stream_context.headers.request.get(":path");
    if (path == "/close") {
      stream_context.headers.request.add("x-close-status", closeStream(0).toString());
      return FilterHeadersStatusValues.StopIteration;
    }
    if (path.startsWith("/deny")) {
      let extra: Headers = [];
      extra.push(new HeaderPair(String.UTF8.encode("x-reason"), String.UTF8.encode("conformance")));
      send_local_response(403, "denied_by_conformance", String.UTF8.encode("nope"), extra, GrpcStatusValues.InvalidCode);
      // Envoy ignores what the filter returns after a local reply.
      return FilterHeadersStatusValues.Continue;
    }
    return FilterHeadersStatusValues.Continue;
  }

  onResponseHeaders(headers: u32, end_of_stream: bool): FilterHeadersStatusValues {
    let response = stream_context.headers.response;
    response.add("x-response-saw", response.get(":status"));
    if (response.get(":status") == "500") {
      send_local_response(502, "replaced_upstream_error", String.UTF8.encode("bad gateway"), [], GrpcStatusValues.InvalidCode);
    }
    return FilterHeadersStatusValues.Continue;
  }
}
