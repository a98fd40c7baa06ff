// Direct hostcalls with out-parameters, for the calls whose SDK wrappers (proxy-runtime 0.1.8)
// pass values where the ABI wants pointers, or abort on a status the test wants to see.
import { free } from "@solo-io/proxy-runtime/malloc";

@external("env", "proxy_get_header_map_value")
declare function proxy_get_header_map_value(typ: u32, key: usize, key_size: usize, value_ptr: usize, value_size: usize): u32;
@external("env", "proxy_get_header_map_size")
declare function proxy_get_header_map_size(typ: u32, size_ptr: usize): u32;
@external("env", "proxy_add_header_map_value")
declare function proxy_add_header_map_value(typ: u32, key: usize, key_size: usize, value: usize, value_size: usize): u32;
@external("env", "proxy_get_shared_data")
declare function proxy_get_shared_data(key: usize, key_size: usize, value_ptr: usize, value_size: usize, cas_ptr: usize): u32;
@external("env", "proxy_set_shared_data")
declare function proxy_set_shared_data(key: usize, key_size: usize, value: usize, value_size: usize, cas: u32): u32;
@external("env", "proxy_register_shared_queue")
declare function proxy_register_shared_queue(name: usize, name_size: usize, token_ptr: usize): u32;
@external("env", "proxy_resolve_shared_queue")
declare function proxy_resolve_shared_queue(vm: usize, vm_size: usize, name: usize, name_size: usize, token_ptr: usize): u32;
@external("env", "proxy_enqueue_shared_queue")
declare function proxy_enqueue_shared_queue(token: u32, data: usize, data_size: usize): u32;
@external("env", "proxy_dequeue_shared_queue")
declare function proxy_dequeue_shared_queue(token: u32, data_ptr: usize, data_size_ptr: usize): u32;
@external("env", "proxy_define_metric")
declare function proxy_define_metric(typ: u32, name: usize, name_size: usize, id_ptr: usize): u32;
@external("env", "proxy_increment_metric")
declare function proxy_increment_metric(id: u32, offset: i64): u32;
@external("env", "proxy_record_metric")
declare function proxy_record_metric(id: u32, value: u64): u32;
@external("env", "proxy_get_metric")
declare function proxy_get_metric(id: u32, value_ptr: usize): u32;
@external("env", "proxy_get_property")
declare function proxy_get_property(path: usize, path_size: usize, value_ptr: usize, value_size: usize): u32;
@external("env", "proxy_set_property")
declare function proxy_set_property(path: usize, path_size: usize, value: usize, value_size: usize): u32;
@external("env", "proxy_get_buffer_bytes")
declare function proxy_get_buffer_bytes(typ: u32, start: u32, length: u32, ptr: usize, size: usize): u32;
@external("env", "proxy_set_buffer_bytes")
declare function proxy_set_buffer_bytes(typ: u32, start: u32, length: u32, data: usize, size: usize): u32;
@external("env", "proxy_get_buffer_status")
declare function proxy_get_buffer_status(typ: u32, length_ptr: usize, flags_ptr: usize): u32;
@external("env", "proxy_get_status")
declare function proxy_get_status(code_ptr: usize, message_ptr: usize, message_size: usize): u32;
@external("env", "proxy_log")
declare function proxy_log(level: u32, message: usize, size: usize): u32;
@external("env", "proxy_grpc_call")
declare function proxy_grpc_call(a: usize, b: usize, c: usize, d: usize, e: usize, f: usize, g: usize, h: usize, i: usize, j: usize, timeout: u32, token_ptr: usize): u32;
@external("env", "proxy_grpc_cancel")
declare function proxy_grpc_cancel(token: u32): u32;
@external("env", "proxy_call_foreign_function")
declare function proxy_call_foreign_function(name: usize, name_size: usize, args: usize, args_size: usize, result_ptr: usize, result_size: usize): u32;
@external("env", "proxy_done")
declare function proxy_done(): u32;
@external("env", "proxy_set_effective_context")
declare function proxy_set_effective_context(id: u32): u32;
@external("env", "proxy_continue_stream")
declare function proxy_continue_stream(stream: u32): u32;
@external("env", "proxy_http_call")
declare function proxy_http_call(uri: usize, uri_size: usize, headers: usize, headers_size: usize, body: usize, body_size: usize,
  trailers: usize, trailers_size: usize, timeout: u32, token_ptr: usize): u32;

// Out-parameters land here: [0] pointer, [4] size, [8] cas / token / id / u64.
const scratch = new ArrayBuffer(32);
const OUT: usize = changetype<usize>(scratch);

export class Answer {
  status: u32 = 0;
  text: string = "";
  number: u64 = 0;
  bytes: ArrayBuffer = new ArrayBuffer(0);
}

function utf8(text: string): ArrayBuffer {
  return String.UTF8.encode(text);
}

// Takes the host-allocated (pointer, size) pair out of OUT.
function taken(status: u32): Answer {
  let answer = new Answer();
  answer.status = status;
  if (status != 0) return answer;
  let ptr = load<usize>(OUT);
  let size = load<u32>(OUT + 4);
  if (size > 0) {
    let copy = new ArrayBuffer(size);
    memory.copy(changetype<usize>(copy), ptr, size);
    answer.bytes = copy;
    answer.text = String.UTF8.decode(copy);
    free(ptr);
  }
  return answer;
}

export function getHeader(map: u32, key: string): Answer {
  let k = utf8(key);
  return taken(proxy_get_header_map_value(map, changetype<usize>(k), k.byteLength, OUT, OUT + 4));
}

export function addHeader(map: u32, key: string, value: string): u32 {
  let k = utf8(key);
  let v = utf8(value);
  return proxy_add_header_map_value(map, changetype<usize>(k), k.byteLength, changetype<usize>(v), v.byteLength);
}

export function headerMapSize(map: u32): Answer {
  let answer = new Answer();
  answer.status = proxy_get_header_map_size(map, OUT + 8);
  answer.number = load<u32>(OUT + 8);
  return answer;
}

export function getSharedData(key: string): Answer {
  let k = utf8(key);
  store<u32>(OUT + 8, 0);
  let answer = taken(proxy_get_shared_data(changetype<usize>(k), k.byteLength, OUT, OUT + 4, OUT + 8));
  answer.number = load<u32>(OUT + 8);
  return answer;
}

export function setSharedData(key: string, value: string, cas: u32): u32 {
  let k = utf8(key);
  let v = utf8(value);
  return proxy_set_shared_data(changetype<usize>(k), k.byteLength, changetype<usize>(v), v.byteLength, cas);
}

export function registerQueue(name: string): Answer {
  let n = utf8(name);
  let answer = new Answer();
  answer.status = proxy_register_shared_queue(changetype<usize>(n), n.byteLength, OUT + 8);
  answer.number = load<u32>(OUT + 8);
  return answer;
}

export function resolveQueue(vm: string, name: string): Answer {
  let v = utf8(vm);
  let n = utf8(name);
  let answer = new Answer();
  answer.status = proxy_resolve_shared_queue(changetype<usize>(v), v.byteLength, changetype<usize>(n), n.byteLength, OUT + 8);
  answer.number = load<u32>(OUT + 8);
  return answer;
}

export function enqueue(token: u32, data: string): u32 {
  let d = utf8(data);
  return proxy_enqueue_shared_queue(token, changetype<usize>(d), d.byteLength);
}

export function dequeue(token: u32): Answer {
  return taken(proxy_dequeue_shared_queue(token, OUT, OUT + 4));
}

export function defineMetric(typ: u32, name: string): Answer {
  let n = utf8(name);
  let answer = new Answer();
  answer.status = proxy_define_metric(typ, changetype<usize>(n), n.byteLength, OUT + 8);
  answer.number = load<u32>(OUT + 8);
  return answer;
}

export function incrementMetric(id: u32, offset: i64): u32 {
  return proxy_increment_metric(id, offset);
}

export function recordMetric(id: u32, value: u64): u32 {
  return proxy_record_metric(id, value);
}

export function getMetric(id: u32): Answer {
  let answer = new Answer();
  answer.status = proxy_get_metric(id, OUT + 8);
  answer.number = load<u64>(OUT + 8);
  return answer;
}

// path: segments separated by "\0", e.g. "request\0path".
export function getProperty(path: string): Answer {
  let p = utf8(path);
  let answer = taken(proxy_get_property(changetype<usize>(p), p.byteLength, OUT, OUT + 4));
  if (answer.status == 0 && answer.bytes.byteLength >= 8) answer.number = load<u64>(changetype<usize>(answer.bytes));
  return answer;
}

export function setProperty(path: string, value: string): u32 {
  let p = utf8(path);
  let v = utf8(value);
  return proxy_set_property(changetype<usize>(p), p.byteLength, changetype<usize>(v), v.byteLength);
}

export function getBuffer(typ: u32, start: u32, length: u32): Answer {
  return taken(proxy_get_buffer_bytes(typ, start, length, OUT, OUT + 4));
}

export function setBuffer(typ: u32, start: u32, length: u32, data: ArrayBuffer): u32 {
  return proxy_set_buffer_bytes(typ, start, length, changetype<usize>(data), data.byteLength);
}

export function bufferLength(typ: u32): Answer {
  let answer = new Answer();
  answer.status = proxy_get_buffer_status(typ, OUT + 8, OUT + 12);
  answer.number = load<u32>(OUT + 8);
  return answer;
}

export function getStatus(): Answer {
  let code = proxy_get_status(OUT + 16, OUT, OUT + 4);
  let answer = taken(code);
  answer.number = load<u32>(OUT + 16);
  return answer;
}

export function logRaw(level: u32, message: string): u32 {
  let m = utf8(message);
  return proxy_log(level, changetype<usize>(m), m.byteLength);
}

export function getPropertyAt(pointer: usize, size: usize): u32 {
  return proxy_get_property(pointer, size, OUT, OUT + 4);
}

export function grpcCall(): u32 {
  return proxy_grpc_call(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1000, OUT + 8);
}

export function grpcCancel(token: u32): u32 {
  return proxy_grpc_cancel(token);
}

export function callForeign(name: string): u32 {
  let n = utf8(name);
  return proxy_call_foreign_function(changetype<usize>(n), n.byteLength, 0, 0, OUT, OUT + 4);
}

export function done(): u32 {
  return proxy_done();
}

export function setEffectiveContext(id: u32): u32 {
  return proxy_set_effective_context(id);
}

export function continueStream(stream: u32): u32 {
  return proxy_continue_stream(stream);
}

export function httpCallRaw(cluster: string, pairs: ArrayBuffer): u32 {
  let c = utf8(cluster);
  let empty = new ArrayBuffer(0);
  return proxy_http_call(changetype<usize>(c), c.byteLength, changetype<usize>(pairs), pairs.byteLength,
    changetype<usize>(empty), 0, changetype<usize>(empty), 0, 1000, OUT + 8);
}

@external("env", "proxy_set_header_map_pairs")
declare function proxy_set_header_map_pairs(typ: u32, data: usize, size: usize): u32;

// Serializes (name, value, name, value, ...) the ABI's way and replaces the whole map.
export function setHeaderPairs(map: u32, flat: string[]): u32 {
  let count = flat.length / 2;
  let encoded: ArrayBuffer[] = [];
  let size = 4 + 8 * count;
  for (let i = 0; i < flat.length; i++) {
    let e = utf8(flat[i]);
    encoded.push(e);
    size += e.byteLength + 1;
  }
  let buffer = new ArrayBuffer(size);
  let base = changetype<usize>(buffer);
  store<u32>(base, count);
  let data = base + 4 + 8 * count;
  for (let i = 0; i < encoded.length; i++) {
    store<u32>(base + 4 + 4 * i, encoded[i].byteLength);
    memory.copy(data, changetype<usize>(encoded[i]), encoded[i].byteLength);
    data += encoded[i].byteLength;
    store<u8>(data, 0);
    data += 1;
  }
  return proxy_set_header_map_pairs(map, base, size);
}

@external("env", "proxy_close_stream")
declare function proxy_close_stream(stream: u32): u32;

export function closeStream(stream: u32): u32 {
  return proxy_close_stream(stream);
}
