// The per-stream Proxy-Wasm entry points, dispatched through a registry of our own.
// Why not the SDK's (@solo-io/proxy-runtime 0.1.8) exports: its getContext() does
// `context_map.get(id) as Context`, and AssemblyScript 0.14 retains the result of that
// checked cast twice, so every callback leaked one reference to the stream and no stream
// context was ever freed (measured: ~250 bytes per request). Here the map is typed as the
// SDK's Context and no cast is needed; virtual calls reach the filter's overrides.
// A filter registers each stream in its RootContext.createContext() with trackStream().

import { Context, FilterHeadersStatusValues, FilterDataStatusValues, FilterTrailersStatusValues, FilterMetadataStatusValues } from "@solo-io/proxy-runtime";
import { deleteContext, getBaseContext } from "@solo-io/proxy-runtime/runtime";

const streams = new Map<u32, Context>();

export function trackStream(stream: Context): void {
  streams.set(stream.context_id, stream);
}

export function proxy_on_request_headers(contextId: u32, headers: u32, endOfStream: u32): i32 {
  if (!streams.has(contextId)) return FilterHeadersStatusValues.Continue;
  let stream = streams.get(contextId);
  return stream.onRequestHeaders(headers, endOfStream != 0);
}

export function proxy_on_request_body(contextId: u32, bodySize: u32, endOfStream: u32): i32 {
  if (!streams.has(contextId)) return FilterDataStatusValues.Continue;
  let stream = streams.get(contextId);
  return stream.onRequestBody(bodySize, endOfStream != 0);
}

export function proxy_on_request_trailers(contextId: u32, trailers: u32): i32 {
  if (!streams.has(contextId)) return FilterTrailersStatusValues.Continue;
  let stream = streams.get(contextId);
  return stream.onRequestTrailers(trailers);
}

export function proxy_on_request_metadata(contextId: u32, elements: u32): i32 {
  if (!streams.has(contextId)) return FilterMetadataStatusValues.Continue;
  let stream = streams.get(contextId);
  return stream.onRequestMetadata(elements);
}

export function proxy_on_response_headers(contextId: u32, headers: u32, endOfStream: u32): i32 {
  if (!streams.has(contextId)) return FilterHeadersStatusValues.Continue;
  let stream = streams.get(contextId);
  return stream.onResponseHeaders(headers, endOfStream != 0);
}

export function proxy_on_response_body(contextId: u32, bodySize: u32, endOfStream: u32): i32 {
  if (!streams.has(contextId)) return FilterDataStatusValues.Continue;
  let stream = streams.get(contextId);
  return stream.onResponseBody(bodySize, endOfStream != 0);
}

export function proxy_on_response_trailers(contextId: u32, trailers: u32): i32 {
  if (!streams.has(contextId)) return FilterTrailersStatusValues.Continue;
  let stream = streams.get(contextId);
  return stream.onResponseTrailers(trailers);
}

export function proxy_on_response_metadata(contextId: u32, elements: u32): i32 {
  if (!streams.has(contextId)) return FilterMetadataStatusValues.Continue;
  let stream = streams.get(contextId);
  return stream.onResponseMetadata(elements);
}

export function proxy_on_log(contextId: u32): void {
  if (!streams.has(contextId)) return;
  let stream = streams.get(contextId);
  stream.onLog();
}

/** For streams and the root alike (the host deletes both kinds). */
export function proxy_on_delete(contextId: u32): void {
  if (streams.has(contextId)) {
    let stream = streams.get(contextId);
    stream.onDelete();
    streams.delete(contextId);
  } else {
    let context = getBaseContext(contextId);
    if (context !== null) context.onDelete();
  }
  deleteContext(contextId);
}
