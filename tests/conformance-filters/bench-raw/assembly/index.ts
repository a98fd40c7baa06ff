// The host benchmark's filters without an SDK in the way: the plugin configuration says
// "pass-through" (every callback continues) or "add-header" (one request header, one response header).

import { OUT, proxy_get_buffer_bytes, proxy_add_header_map_value, RequestHeaders, ResponseHeaders } from "../../shared/raw-abi";

const requestName = String.UTF8.encode("x-request-seen");
const requestValue = String.UTF8.encode("1");
const responseName = String.UTF8.encode("x-powered-by");
const responseValue = String.UTF8.encode("imagehub-wasm");
let addHeaders = false;

export function proxy_abi_version_0_2_1(): void {}

export function proxy_on_memory_allocate(size: usize): usize {
  return __alloc(size, 0);
}

export function proxy_on_context_create(context_id: u32, parent_context_id: u32): void {}

export function proxy_on_configure(root_context_id: u32, configuration_size: u32): u32 {
  proxy_get_buffer_bytes(7, 0, configuration_size, OUT, OUT + 4);
  let size = load<u32>(OUT + 4);
  addHeaders = size > 0 && String.UTF8.decodeUnsafe(load<usize>(OUT), size) == "add-header";
  return 1;
}

export function proxy_on_request_headers(context_id: u32, headers: u32, end_of_stream: u32): u32 {
  if (addHeaders) {
    proxy_add_header_map_value(RequestHeaders, changetype<usize>(requestName), requestName.byteLength, changetype<usize>(requestValue), requestValue.byteLength);
  }
  return 0;
}

export function proxy_on_response_headers(context_id: u32, headers: u32, end_of_stream: u32): u32 {
  if (addHeaders) {
    proxy_add_header_map_value(ResponseHeaders, changetype<usize>(responseName), responseName.byteLength, changetype<usize>(responseValue), responseValue.byteLength);
  }
  return 0;
}

export function proxy_on_done(context_id: u32): u32 {
  return 1;
}

export function proxy_on_log(context_id: u32): void {}

export function proxy_on_delete(context_id: u32): void {}
