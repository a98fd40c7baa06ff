// The per-stream Proxy-Wasm entry points, dispatched through a registry of our own.
// Why not the SDK's (@solo-io/proxy-runtime 0.1.8) exports: its getContext() does
// `context_map.get(id) as Context`, and AssemblyScript 0.14 retains the result of that
// checked cast twice, so every callback leaked one reference to the stream and no stream
// context was ever freed (measured: ~250 bytes per request). Here the map is typed as the
// SDK's Context and no cast is needed; virtual calls reach the filter's overrides.
// A filter registers each stream in its RootContext.createContext() with trackStream().
//
// The stream's life (proxy_on_context_create, proxy_on_done, proxy_on_log, proxy_on_delete) is
// ours too, for speed: the SDK's versions format about ten debug lines per stream whatever the
// log level (seven in ensureContext, three of them joining every live context id, and one each
// in the base onDone/onLog/onDelete). The SDK has no level check and ABI 0.2.0 has no
// proxy_get_log_level, so the host can only drop the lines after the filter built them: they
// were ~35 µs per request with both filters, the largest single cost in the sidecar's profile.
// Ours do the same work without those lines; stream classes extend Stream (below) so the base
// onDone/onLog/onDelete are quiet too. Root contexts still go through the SDK (once per VM).
//
// Export proxy_on_context_create FIRST in the filter's export block (before the header and body
// callbacks): AssemblyScript 0.14 fills a virtual call's class switch with the classes it has
// met so far, so the stream class that createContext instantiates must be met before
// Context#onRequestHeaders is compiled. Listed later, the filter's overrides are silently never
// called (every callback answers Continue); the filters' tests catch it.

import { Context, RootContext, FilterHeadersStatusValues, FilterDataStatusValues, FilterTrailersStatusValues, FilterMetadataStatusValues } from "@solo-io/proxy-runtime";
import { deleteContext, getBaseContext, ensureRootContext } from "@solo-io/proxy-runtime/runtime";

const streams = new Map<u32, Context>();
/** The root contexts the SDK created, typed, so finding one needs no checked cast (see above). */
const roots = new Map<u32, RootContext>();

/** The base class of a filter's stream context: the SDK's Context minus its debug lines. */
export class Stream extends Context {
  constructor(contextId: u32, root: RootContext) {
    super(contextId, root);
  }

  onDone(): bool {
    return true;
  }

  onLog(): void {}

  onDelete(): void {}
}

export function trackStream(stream: Context): void {
  streams.set(stream.context_id, stream);
}

function rootContext(rootContextId: u32): RootContext {
  if (roots.has(rootContextId)) return roots.get(rootContextId);
  // The SDK's: finds or creates the root for plugin_root_id (throws when no factory is
  // registered for it) and keeps it in its own map, where proxy_on_vm_start/configure look.
  let root = ensureRootContext(rootContextId);
  roots.set(rootContextId, root);
  return root;
}

/** As the SDK's: (root, 0) creates the root context; (stream, root) asks the root for a stream. */
export function proxy_on_context_create(contextId: u32, rootContextId: u32): void {
  if (rootContextId == 0) {
    rootContext(contextId);
    return;
  }
  let root = rootContext(rootContextId);
  if (streams.has(contextId) || roots.has(contextId)) return;
  // The filter's createContext registers the stream with trackStream (the SDK's map is not used).
  root.createContext(contextId);
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

/** For streams and the root alike (the root's is the SDK's: it cancels its pending callouts). */
export function proxy_on_done(contextId: u32): u32 {
  if (streams.has(contextId)) {
    let stream = streams.get(contextId);
    return stream.onDone() ? 1 : 0;
  }
  let context = getBaseContext(contextId);
  return context.onDone() ? 1 : 0;
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
    return; // never in the SDK's map, so nothing to delete there
  }
  let context = getBaseContext(contextId);
  if (context !== null) context.onDelete();
  roots.delete(contextId);
  deleteContext(contextId);
}
