// The two filters the host benchmark measures: one that only passes requests through, and
// one that adds a request header and a response header.
import { RootContext, Context, FilterHeadersStatusValues, stream_context } from "@solo-io/proxy-runtime";

export class PassThroughRoot extends RootContext {
  createContext(context_id: u32): Context {
    return new Context(context_id, this);
  }
}

export class AddHeaderRoot extends RootContext {
  createContext(context_id: u32): Context {
    return new AddHeaderStream(context_id, this);
  }
}

class AddHeaderStream extends Context {
  onRequestHeaders(headers: u32, end_of_stream: bool): FilterHeadersStatusValues {
    stream_context.headers.request.add("x-request-seen", "1");
    return FilterHeadersStatusValues.Continue;
  }

  onResponseHeaders(headers: u32, end_of_stream: bool): FilterHeadersStatusValues {
    stream_context.headers.response.add("x-powered-by", "imagehub-wasm");
    return FilterHeadersStatusValues.Continue;
  }
}
