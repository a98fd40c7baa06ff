// Calls hostcalls the wrong way or for things the host cannot do, and reports each status.
import { RootContext, Context, FilterHeadersStatusValues, stream_context } from "@solo-io/proxy-runtime";
import { getHeader, logRaw, getPropertyAt, grpcCall, grpcCancel, callForeign, done, setEffectiveContext,
  continueStream, getBuffer, setBuffer, headerMapSize } from "./raw";

export class StatusesRoot extends RootContext {
  createContext(context_id: u32): Context {
    return new StatusesStream(context_id, this);
  }
}

class StatusesStream extends Context {
  onRequestHeaders(headers: u32, end_of_stream: bool): FilterHeadersStatusValues {
    let request = stream_context.headers.request;
    request.add("x-bad-map-type", getHeader(99, ":path").status.toString());
    request.add("x-missing-header", getHeader(0, "x-nope").status.toString());
    request.add("x-callout-map-outside-callout", getHeader(6, ":status").status.toString());
    request.add("x-response-map-in-request", headerMapSize(2).status.toString());
    request.add("x-bad-log-level", logRaw(9, "x").toString());
    request.add("x-bad-pointer", getPropertyAt(0xFFFFFFF0, 64).toString());
    request.add("x-grpc-call", grpcCall().toString());
    request.add("x-grpc-cancel", grpcCancel(1).toString());
    request.add("x-foreign-function", callForeign("compress").toString());
    request.add("x-done", done().toString());
    request.add("x-effective-unknown", setEffectiveContext(9999).toString());
    request.add("x-effective-self", setEffectiveContext(this.context_id).toString());
    request.add("x-continue-bad-stream", continueStream(7).toString());
    request.add("x-plugin-config-outside-configure", getBuffer(7, 0, 10).status.toString());
    request.add("x-vm-config-write", setBuffer(6, 0, 0, String.UTF8.encode("x")).toString());
    request.add("x-bad-buffer-type", getBuffer(42, 0, 1).status.toString());
    return FilterHeadersStatusValues.Continue;
  }
}
