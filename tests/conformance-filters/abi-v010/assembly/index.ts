// A filter that speaks ABI 0.1.0 directly: two-argument header callbacks, continue_request,
// get_configuration, and 0.1.0's empty value (not NotFound) for a missing header.

@external("env", "proxy_log")
declare function proxy_log(level: u32, message: usize, size: usize): u32;
@external("env", "proxy_get_configuration")
declare function proxy_get_configuration(ptr: usize, size: usize): u32;
@external("env", "proxy_get_header_map_value")
declare function proxy_get_header_map_value(typ: u32, key: usize, key_size: usize, value_ptr: usize, value_size: usize): u32;
@external("env", "proxy_add_header_map_value")
declare function proxy_add_header_map_value(typ: u32, key: usize, key_size: usize, value: usize, value_size: usize): u32;
@external("env", "proxy_continue_request")
declare function proxy_continue_request(): u32;

// @ts-ignore: decorator
@global
export function abort_trap(message: string | null, fileName: string | null, line: u32, column: u32): void {
  unreachable();
}

const scratch = new ArrayBuffer(16);
const OUT: usize = changetype<usize>(scratch);

export function proxy_abi_version_0_1_0(): void {}

export function malloc(size: usize): usize {
  return __alloc(size, 0);
}

function log(text: string): void {
  let bytes = String.UTF8.encode(text);
  proxy_log(2, changetype<usize>(bytes), bytes.byteLength);
}

function addRequestHeader(name: string, value: string): void {
  let n = String.UTF8.encode(name);
  let v = String.UTF8.encode(value);
  proxy_add_header_map_value(0, changetype<usize>(n), n.byteLength, changetype<usize>(v), v.byteLength);
}

function readOut(): string {
  let size = load<u32>(OUT + 4);
  return size == 0 ? "" : String.UTF8.decodeUnsafe(load<usize>(OUT), size);
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
