// Host calls the SDK (@solo-io/proxy-runtime 0.1.8) does not wrap, or wraps in a way that
// traps on ordinary answers: header reads that tell "missing" from "empty", shared data with
// compare-and-swap, HTTP callouts that work from a stream context, local replies.
// Everything here is the plain Proxy-Wasm ABI as Envoy implements it.

import * as abi from "@solo-io/proxy-runtime/imports";
import { WasmResultValues, HeaderMapTypeValues, BufferTypeValues, LogLevelValues, log } from "@solo-io/proxy-runtime/runtime";

/** A header list as the ABI serialises it: count, then (name size, value size) pairs, then NUL-terminated bytes. */
export class HeaderList {
  names: Array<ArrayBuffer> = new Array<ArrayBuffer>();
  values: Array<ArrayBuffer> = new Array<ArrayBuffer>();

  add(name: string, value: string): HeaderList {
    this.names.push(String.UTF8.encode(name));
    this.values.push(String.UTF8.encode(value));
    return this;
  }

  get length(): i32 { return this.names.length; }

  serialize(): ArrayBuffer {
    let size = 4;
    for (let i = 0; i < this.names.length; i++) size += 8 + this.names[i].byteLength + 1 + this.values[i].byteLength + 1;
    let out = new ArrayBuffer(size);
    let base = changetype<usize>(out);
    store<u32>(base, this.names.length);
    let sizes = base + 4;
    let data = base + 4 + 8 * this.names.length;
    for (let i = 0; i < this.names.length; i++) {
      let n = this.names[i], v = this.values[i];
      store<u32>(sizes + 8 * i, n.byteLength);
      store<u32>(sizes + 8 * i + 4, v.byteLength);
      memory.copy(data, changetype<usize>(n), n.byteLength);
      data += n.byteLength;
      store<u8>(data++, 0);
      memory.copy(data, changetype<usize>(v), v.byteLength);
      data += v.byteLength;
      store<u8>(data++, 0);
    }
    return out;
  }

  /** Parses the ABI form; a truncated or inconsistent buffer yields what could be read safely. */
  static deserialize(buffer: ArrayBuffer): HeaderList {
    let list = new HeaderList();
    let total = buffer.byteLength;
    if (total < 4) return list;
    let base = changetype<usize>(buffer);
    let count = load<u32>(base);
    if (<u64>count * 8 + 4 > <u64>total) return list;
    let data: u32 = 4 + 8 * count;
    for (let i: u32 = 0; i < count; i++) {
      let nameSize = load<u32>(base + 4 + 8 * i);
      let valueSize = load<u32>(base + 8 + 8 * i);
      if (<u64>data + <u64>nameSize + <u64>valueSize + 2 > <u64>total) break;
      list.names.push(buffer.slice(data, data + nameSize));
      data += nameSize + 1;
      list.values.push(buffer.slice(data, data + valueSize));
      data += valueSize + 1;
    }
    return list;
  }
}

// Out-parameters for the host: static cells (calls into one VM are serialised, so one set is enough).
const CELLS = new ArrayBuffer(32);
export const POINTER_CELL: usize = changetype<usize>(CELLS);
export const SIZE_CELL: usize = changetype<usize>(CELLS) + 8;
const U32_CELL: usize = changetype<usize>(CELLS) + 16;
const U64_CELL: usize = changetype<usize>(CELLS) + 24;

/** Takes ownership of the buffer the host allocated through the exported `malloc` (the SDK's pattern). */
function adoptHostBuffer(): ArrayBuffer {
  let pointer = load<usize>(POINTER_CELL);
  let size = load<usize>(SIZE_CELL);
  store<usize>(POINTER_CELL, 0);
  store<usize>(SIZE_CELL, 0);
  if (pointer == 0) return new ArrayBuffer(0);
  // Copy out, then drop the reference malloc took on the host's behalf: the host's buffer is freed.
  let copy = new ArrayBuffer(<i32>size);
  memory.copy(changetype<usize>(copy), pointer, size);
  __release(pointer);
  return copy;
}

export function clearCells(): void {
  store<usize>(POINTER_CELL, 0);
  store<usize>(SIZE_CELL, 0);
}

/** All pairs of a header map (request, response, or a callout's response). */
export function headerPairs(map: HeaderMapTypeValues): HeaderList {
  clearCells();
  let result = abi.proxy_get_header_map_pairs(map, POINTER_CELL, SIZE_CELL);
  if (result != WasmResultValues.Ok) return new HeaderList();
  return HeaderList.deserialize(adoptHostBuffer());
}

/** One header's value, or null when the map has no such header. */
export function headerValue(map: HeaderMapTypeValues, name: string): ArrayBuffer | null {
  clearCells();
  let key = String.UTF8.encode(name);
  let result = abi.proxy_get_header_map_value(map, changetype<usize>(key), key.byteLength, POINTER_CELL, SIZE_CELL);
  if (result != WasmResultValues.Ok) return null;
  return adoptHostBuffer();
}

export function headerText(map: HeaderMapTypeValues, name: string): string | null {
  let value = headerValue(map, name);
  if (value === null) return null;
  return String.UTF8.decode(value);
}

/** Sets a header, replacing every earlier value (adds it when absent, as Envoy does). */
export function replaceHeader(map: HeaderMapTypeValues, name: string, value: string): WasmResultValues {
  let k = String.UTF8.encode(name);
  let v = String.UTF8.encode(value);
  return abi.proxy_replace_header_map_value(map, changetype<usize>(k), k.byteLength, changetype<usize>(v), v.byteLength);
}

/** replaceHeader with the name and value already in UTF-8 (e.g. encoded once at configure time). */
export function replaceHeaderBytes(map: HeaderMapTypeValues, name: ArrayBuffer, value: ArrayBuffer): WasmResultValues {
  return abi.proxy_replace_header_map_value(map, changetype<usize>(name), name.byteLength, changetype<usize>(value), value.byteLength);
}

export function removeHeaderBytes(map: HeaderMapTypeValues, name: ArrayBuffer): WasmResultValues {
  return abi.proxy_remove_header_map_value(map, changetype<usize>(name), name.byteLength);
}

/** Removes the header whose name is the `length` bytes at `pointer` (e.g. a name inside ./host-bytes.ts's HeaderPairs). */
export function removeHeaderAt(map: HeaderMapTypeValues, pointer: usize, length: usize): WasmResultValues {
  return abi.proxy_remove_header_map_value(map, pointer, length);
}

/** The plugin configuration bytes (empty when the host has none). */
export function pluginConfiguration(size: u32): ArrayBuffer {
  if (size == 0) return new ArrayBuffer(0);
  clearCells();
  let result = abi.proxy_get_buffer_bytes(BufferTypeValues.PluginConfiguration, 0, size, POINTER_CELL, SIZE_CELL);
  if (result != WasmResultValues.Ok) return new ArrayBuffer(0);
  return adoptHostBuffer();
}

/** The body of a callout's response, at most `max` bytes. */
export function calloutResponseBody(size: u32, max: u32): ArrayBuffer {
  if (size == 0) return new ArrayBuffer(0);
  clearCells();
  let result = abi.proxy_get_buffer_bytes(BufferTypeValues.HttpCallResponseBody, 0, size < max ? size : max, POINTER_CELL, SIZE_CELL);
  if (result != WasmResultValues.Ok) return new ArrayBuffer(0);
  return adoptHostBuffer();
}

/** The host's wall clock in milliseconds (the same clock for every replica). */
export function nowMilliseconds(): i64 {
  store<u64>(U64_CELL, 0);
  abi.proxy_get_current_time_nanoseconds(U64_CELL);
  return <i64>(load<u64>(U64_CELL) / 1000000);
}

/** A shared-data value, or null when the key is absent. */
export function sharedDataGet(key: string): ArrayBuffer | null {
  clearCells();
  let k = String.UTF8.encode(key);
  let result = abi.proxy_get_shared_data(changetype<usize>(k), k.byteLength, POINTER_CELL, SIZE_CELL, U32_CELL);
  if (result != WasmResultValues.Ok) return null;
  return adoptHostBuffer();
}

/** Stores a shared-data value unconditionally (cas 0). */
export function sharedDataSet(key: string, value: ArrayBuffer): WasmResultValues {
  let k = String.UTF8.encode(key);
  return abi.proxy_set_shared_data(changetype<usize>(k), k.byteLength, changetype<usize>(value), value.byteLength, 0);
}

/** Starts an HTTP callout; returns the token, or -1 when the host refused (e.g. unknown cluster). */
export function httpCall(cluster: string, headers: HeaderList, body: ArrayBuffer, timeoutMilliseconds: u32): i64 {
  let c = String.UTF8.encode(cluster);
  let h = headers.serialize();
  let t = new HeaderList().serialize();
  store<u32>(U32_CELL, 0);
  let result = abi.proxy_http_call(changetype<usize>(c), c.byteLength, changetype<usize>(h), h.byteLength,
    changetype<usize>(body), body.byteLength, changetype<usize>(t), t.byteLength, timeoutMilliseconds, U32_CELL);
  if (result != WasmResultValues.Ok) return -1;
  return <i64>load<u32>(U32_CELL);
}

/** A local reply with a JSON body; `headers` are added to the reply. */
export function sendJsonReply(status: u32, details: string, json: string, headers: HeaderList): WasmResultValues {
  headers.add("content-type", "application/json");
  let d = String.UTF8.encode(details);
  let b = String.UTF8.encode(json);
  let h = headers.serialize();
  return abi.proxy_send_local_response(status, changetype<usize>(d), d.byteLength, changetype<usize>(b), b.byteLength,
    changetype<usize>(h), h.byteLength, -1 /* no gRPC status */);
}

export function setEffectiveContext(contextId: u32): WasmResultValues {
  return abi.proxy_set_effective_context(contextId);
}

export function continueRequest(): WasmResultValues {
  return abi.proxy_continue_stream(0 /* request */);
}

export function logInfo(message: string): void { log(LogLevelValues.info, message); }
export function logWarn(message: string): void { log(LogLevelValues.warn, message); }
export function logError(message: string): void { log(LogLevelValues.error, message); }
export function logDebug(message: string): void { log(LogLevelValues.debug, message); }

/** Reads a configuration byte buffer as JSON-ready bytes. */
export function bytesOf(buffer: ArrayBuffer): Uint8Array { return Uint8Array.wrap(buffer); }

export const enum MetricKind { Counter = 0, Gauge = 1, Histogram = 2 }

/** Defines a metric; returns its id, or -1 when the host refused (the filter then just skips it). */
export function defineMetric(kind: MetricKind, name: string): i64 {
  let n = String.UTF8.encode(name);
  store<u32>(U32_CELL, 0);
  let result = abi.proxy_define_metric(kind, changetype<usize>(n), n.byteLength, U32_CELL);
  if (result != WasmResultValues.Ok) {
    logWarn("could not define metric " + name + " (result " + result.toString() + ")");
    return -1;
  }
  return <i64>load<u32>(U32_CELL);
}

export function incrementMetric(id: i64, delta: i64): void {
  if (id >= 0) abi.proxy_increment_metric(<u32>id, delta);
}

export function recordMetric(id: i64, value: u64): void {
  if (id >= 0) abi.proxy_record_metric(<u32>id, value);
}
