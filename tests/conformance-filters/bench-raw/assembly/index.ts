// The host benchmark's filters without an SDK in the way: the plugin configuration says
// "pass-through" (every callback continues) or "add-header" (one request header, one response header).

@external("env", "proxy_get_buffer_bytes")
declare function proxy_get_buffer_bytes(typ: u32, start: u32, length: u32, ptr: usize, size: usize): u32;
@external("env", "proxy_add_header_map_value")
declare function proxy_add_header_map_value(typ: u32, key: usize, key_size: usize, value: usize, value_size: usize): u32;

// @ts-ignore: decorator
@global
export function abort_trap(message: string | null, fileName: string | null, line: u32, column: u32): void {
  unreachable();
}

const scratch = new ArrayBuffer(16);
const OUT: usize = changetype<usize>(scratch);
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
    proxy_add_header_map_value(0, changetype<usize>(requestName), requestName.byteLength, changetype<usize>(requestValue), requestValue.byteLength);
  }
  return 0;
}

export function proxy_on_response_headers(context_id: u32, headers: u32, end_of_stream: u32): u32 {
  if (addHeaders) {
    proxy_add_header_map_value(2, changetype<usize>(responseName), responseName.byteLength, changetype<usize>(responseValue), responseValue.byteLength);
  }
  return 0;
}

export function proxy_on_done(context_id: u32): u32 {
  return 1;
}

export function proxy_on_log(context_id: u32): void {}

export function proxy_on_delete(context_id: u32): void {}
