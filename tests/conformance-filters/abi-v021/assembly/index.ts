// A filter that speaks ABI 0.2.1 directly: _initialize, proxy_on_memory_allocate instead of
// malloc, proxy_get_log_level, three-argument header callbacks.

@external("env", "proxy_log")
declare function proxy_log(level: u32, message: usize, size: usize): u32;
@external("env", "proxy_get_log_level")
declare function proxy_get_log_level(level_ptr: usize): u32;
@external("env", "proxy_get_header_map_value")
declare function proxy_get_header_map_value(typ: u32, key: usize, key_size: usize, value_ptr: usize, value_size: usize): u32;
@external("env", "proxy_add_header_map_value")
declare function proxy_add_header_map_value(typ: u32, key: usize, key_size: usize, value: usize, value_size: usize): u32;

// @ts-ignore: decorator
@global
export function abort_trap(message: string | null, fileName: string | null, line: u32, column: u32): void {
  unreachable();
}

const scratch = new ArrayBuffer(16);
const OUT: usize = changetype<usize>(scratch);

export function proxy_abi_version_0_2_1(): void {}

export function proxy_on_memory_allocate(size: usize): usize {
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

export function _initialize(): void {
  log("initialize");
}

export function proxy_on_context_create(context_id: u32, parent_context_id: u32): void {
  log("create " + context_id.toString() + " parent=" + parent_context_id.toString());
}

export function proxy_on_vm_start(root_context_id: u32, vm_configuration_size: u32): u32 {
  log("vm_start " + vm_configuration_size.toString());
  return 1;
}

export function proxy_on_request_headers(context_id: u32, headers: u32, end_of_stream: u32): u32 {
  proxy_get_log_level(OUT);
  let key = String.UTF8.encode("x-missing");
  let status = proxy_get_header_map_value(0, changetype<usize>(key), key.byteLength, OUT + 4, OUT + 8);
  addRequestHeader("x-abi", "0.2.1");
  addRequestHeader("x-log-level", load<u32>(OUT).toString());
  addRequestHeader("x-missing-status", status.toString());
  addRequestHeader("x-end-of-stream", end_of_stream.toString());
  return 0;
}
