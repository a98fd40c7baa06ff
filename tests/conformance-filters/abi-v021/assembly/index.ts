// A filter that speaks ABI 0.2.1 directly: _initialize, proxy_on_memory_allocate instead of
// malloc, proxy_get_log_level, three-argument header callbacks.

import { OUT, log, addRequestHeader, proxy_get_header_map_value } from "../../shared/raw-abi";

// Only in 0.2.1.
@external("env", "proxy_get_log_level")
declare function proxy_get_log_level(level_ptr: usize): u32;

export function proxy_abi_version_0_2_1(): void {}

export function proxy_on_memory_allocate(size: usize): usize {
  return __alloc(size, 0);
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
