// A filter that speaks ABI 0.1.0 directly: two-argument header callbacks, continue_request,
// get_configuration, and 0.1.0's empty value (not NotFound) for a missing header.

import { OUT, log, addRequestHeader, readOut, proxy_get_header_map_value } from "../../shared/raw-abi";

// Only in 0.1.0 (0.2.x reads the configuration with proxy_get_buffer_bytes and continues with
// proxy_continue_stream).
@external("env", "proxy_get_configuration")
declare function proxy_get_configuration(ptr: usize, size: usize): u32;
@external("env", "proxy_continue_request")
declare function proxy_continue_request(): u32;

export function proxy_abi_version_0_1_0(): void {}

// 0.1.0's allocator export (0.2.x: proxy_on_memory_allocate).
export function malloc(size: usize): usize {
  return __alloc(size, 0);
}

export function proxy_on_context_create(context_id: u32, parent_context_id: u32): void {
  log("create " + context_id.toString() + " parent=" + parent_context_id.toString());
}

export function proxy_on_configure(root_context_id: u32, configuration_size: u32): u32 {
  proxy_get_configuration(OUT, OUT + 4);
  log("configuration=" + readOut());
  return 1;
}

export function proxy_on_request_headers(context_id: u32, headers: u32): u32 {
  let key = String.UTF8.encode("x-missing");
  let status = proxy_get_header_map_value(0, changetype<usize>(key), key.byteLength, OUT, OUT + 4);
  addRequestHeader("x-abi", "0.1.0");
  addRequestHeader("x-missing", "status=" + status.toString() + " value=[" + readOut() + "]");
  addRequestHeader("x-headers", headers.toString());
  // Continue from inside the callback, then stop: Envoy continues the request.
  proxy_continue_request();
  return 1;
}

export function proxy_on_response_headers(context_id: u32, headers: u32): u32 {
  return 0;
}

export function proxy_on_done(context_id: u32): u32 {
  return 1;
}
