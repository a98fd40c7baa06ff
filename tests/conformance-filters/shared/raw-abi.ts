// What the conformance filters written without an SDK share: the hostcalls every ABI version
// has, a trap for AssemblyScript's abort, a scratch area for out-parameters, and two helpers.
// AssemblyScript emits an import only for a declared function the module calls, so a package
// importing this file still imports exactly the hostcalls it uses (AbiImportTests checks that).
// Each package's own index.ts declares what is particular to its ABI version.

@external("env", "proxy_log")
declare function proxy_log(level: u32, message: usize, size: usize): u32;
@external("env", "proxy_get_header_map_value")
export declare function proxy_get_header_map_value(typ: u32, key: usize, key_size: usize, value_ptr: usize, value_size: usize): u32;
@external("env", "proxy_add_header_map_value")
export declare function proxy_add_header_map_value(typ: u32, key: usize, key_size: usize, value: usize, value_size: usize): u32;
@external("env", "proxy_get_buffer_bytes")
export declare function proxy_get_buffer_bytes(typ: u32, start: u32, length: u32, ptr: usize, size: usize): u32;

// Selected with `--use abort=abort_trap`: a failed assertion traps instead of importing env.abort.
// @ts-ignore: decorator
@global
export function abort_trap(message: string | null, fileName: string | null, line: u32, column: u32): void {
  unreachable();
}

const scratch = new ArrayBuffer(16);
/** 16 bytes for hostcalls' out-parameters (pointer and size pairs). */
export const OUT: usize = changetype<usize>(scratch);

export const RequestHeaders: u32 = 0;
export const ResponseHeaders: u32 = 2;

/** proxy_log at info. */
export function log(text: string): void {
  let bytes = String.UTF8.encode(text);
  proxy_log(2, changetype<usize>(bytes), bytes.byteLength);
}

export function addRequestHeader(name: string, value: string): void {
  let n = String.UTF8.encode(name);
  let v = String.UTF8.encode(value);
  proxy_add_header_map_value(RequestHeaders, changetype<usize>(n), n.byteLength, changetype<usize>(v), v.byteLength);
}

/** The string a hostcall returned through OUT (pointer at OUT, size at OUT + 4). */
export function readOut(): string {
  let size = load<u32>(OUT + 4);
  return size == 0 ? "" : String.UTF8.decodeUnsafe(load<usize>(OUT), size);
}
