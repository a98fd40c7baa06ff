// Pauses each request on an HTTP callout to cluster "backend" and continues or answers from its response.
import { RootContext, Context, BaseContext, FilterHeadersStatusValues, stream_context, send_local_response,
  HeaderPair, Headers, GrpcStatusValues, continue_request, log, LogLevelValues } from "@solo-io/proxy-runtime";
import { getStatus, httpCallRaw, getBuffer } from "./raw";

const HttpCallResponseBody: u32 = 4;

function pair(name: string, value: string): HeaderPair {
  return new HeaderPair(String.UTF8.encode(name), String.UTF8.encode(value));
}

export class CalloutRoot extends RootContext {
  createContext(context_id: u32): Context {
    return new CalloutStream(context_id, this);
  }
}

function onCheckResponse(origin: Context, headers: u32, body_size: usize, trailers: u32): void {
  if (headers == 0) {
    let status = getStatus();
    log(LogLevelValues.warn, "callout failed status=" + status.number.toString() + " message=" + status.text);
    send_local_response(503, "callout_failed", String.UTF8.encode("backend unavailable"), [], GrpcStatusValues.InvalidCode);
    return;
  }
  let status = stream_context.headers.http_callback.get(":status");
  let body = getBuffer(HttpCallResponseBody, 0, body_size as u32).text;
  if (status == "200") {
    stream_context.headers.request.add("x-callout-body", body);
    stream_context.headers.request.add("x-callout-echo", stream_context.headers.http_callback.get("x-echo"));
    continue_request();
  } else {
    send_local_response(U32.parseInt(status) as u32, "callout_denied", String.UTF8.encode(body), [], GrpcStatusValues.InvalidCode);
  }
}

class CalloutStream extends Context {
  onRequestHeaders(headers: u32, end_of_stream: bool): FilterHeadersStatusValues {
    let path = stream_context.headers.request.get(":path");
    if (path == "/no-path") {
      // A callout without :path is refused (BadArgument) and nothing is sent.
      let pairs: Headers = [pair(":method", "GET"), pair(":authority", "backend")];
      stream_context.headers.request.add("x-callout-result", httpCallRaw("backend", serialize(pairs)).toString());
      return FilterHeadersStatusValues.Continue;
    }
    let cluster = path == "/elsewhere" ? "nowhere" : "backend";
    let request: Headers = [pair(":method", "POST"), pair(":path", "/check?path=" + path), pair(":authority", "backend"), pair("x-user", "alice")];
    let result = this.root_context.httpCall(cluster, request, String.UTF8.encode("check " + path), [], 1000, this, onCheckResponse);
    if (result != 0) {
      stream_context.headers.request.add("x-callout-result", result.toString());
      return FilterHeadersStatusValues.Continue;
    }
    return FilterHeadersStatusValues.StopIteration;
  }
}

function serialize(pairs: Headers): ArrayBuffer {
  let size = 4;
  for (let i = 0; i < pairs.length; i++) size += 8 + pairs[i].key.byteLength + pairs[i].value.byteLength + 2;
  let buffer = new ArrayBuffer(size);
  let base = changetype<usize>(buffer);
  store<u32>(base, pairs.length);
  let data = base + 4 + 8 * pairs.length;
  for (let i = 0; i < pairs.length; i++) {
    store<u32>(base + 4 + 8 * i, pairs[i].key.byteLength);
    store<u32>(base + 8 + 8 * i, pairs[i].value.byteLength);
    memory.copy(data, changetype<usize>(pairs[i].key), pairs[i].key.byteLength);
    data += pairs[i].key.byteLength;
    store<u8>(data, 0);
    data += 1;
    memory.copy(data, changetype<usize>(pairs[i].value), pairs[i].value.byteLength);
    data += pairs[i].value.byteLength;
    store<u8>(data, 0);
    data += 1;
  }
  return buffer;
}
