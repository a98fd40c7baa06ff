// Reading the host's answers where they lie. For a header value or a map's serialized pairs the
// host allocates a buffer in our memory (through the exported `malloc`) and writes the bytes
// there; these views read them in place and free the buffer once the caller is done.
//
// Why not copy them into ArrayBuffers and strings (as ./host.ts's headerPairs/headerText do):
// every ArrayBuffer, string and array is a trip through AssemblyScript's allocator and reference
// counting. Copying a browser request's ~15 headers that way took ~40 allocations and was most of
// the tenancy filter's time per request (~20 µs); reading in place takes one (the host's buffer).
// The views themselves are reused: calls into one VM never overlap, so a filter keeps one view per
// purpose in a module-level constant and allocates nothing per request.

import * as abi from "@solo-io/proxy-runtime/imports";
import { WasmResultValues, HeaderMapTypeValues } from "@solo-io/proxy-runtime/runtime";

import { POINTER_CELL, SIZE_CELL, clearCells } from "./host";

/** Bytes the host allocated in our memory; `release()` frees them (every read must end with it). */
export class HostBytes {
  pointer: usize = 0;
  length: usize = 0;

  /** Takes over the buffer the host just described in the out-cells (freeing any earlier one). */
  adopt(): void {
    this.release();
    this.pointer = load<usize>(POINTER_CELL);
    this.length = load<usize>(SIZE_CELL);
  }

  /** Frees the host's buffer: `malloc` retained it on the host's behalf, this drops that reference. */
  release(): void {
    // A buffer can be allocated yet empty, so the pointer decides, not the length.
    if (this.pointer != 0) __release(this.pointer);
    this.pointer = 0;
    this.length = 0;
  }

  text(): string { return String.UTF8.decodeUnsafe(this.pointer, this.length); }
}

/** Fills `into` with one header's value; false (and `into` empty) when the map has no such header. */
export function readHeaderValue(map: HeaderMapTypeValues, name: ArrayBuffer, into: HostBytes): bool {
  into.release();
  clearCells();
  let result = abi.proxy_get_header_map_value(map, changetype<usize>(name), name.byteLength, POINTER_CELL, SIZE_CELL);
  if (result != WasmResultValues.Ok) {
    clearCells();
    return false;
  }
  into.adopt();
  return true;
}

/**
 * All pairs of a header map as the ABI serialises them (a u32 count, then a u32 name size and a
 * u32 value size per pair, then each name and value followed by a NUL), walked with `next()`:
 *
 *     if (readHeaderPairs(REQUEST, pairs)) { while (pairs.next()) { ...pairs.name, pairs.nameLength... } }
 *     pairs.release();
 */
export class HeaderPairs {
  buffer: HostBytes = new HostBytes();
  /** The current pair's name and value: addresses and byte lengths inside `buffer`. */
  name: usize = 0;
  nameLength: usize = 0;
  value: usize = 0;
  valueLength: usize = 0;
  private count: u32 = 0;
  private index: u32 = 0;
  private offset: u64 = 0;

  /** Starts over at the first pair of what `buffer` now holds; a truncated or inconsistent buffer reads as what fits. */
  rewind(): void {
    this.index = 0;
    this.count = 0;
    let total = <u64>this.buffer.length;
    if (total < 4) return;
    let count = load<u32>(this.buffer.pointer);
    if (<u64>count * 8 + 4 > total) return;
    this.count = count;
    this.offset = 4 + <u64>count * 8;
  }

  /** Moves to the next pair; false past the last one (or at the first one that would overrun the buffer). */
  next(): bool {
    if (this.index >= this.count) return false;
    let base = this.buffer.pointer;
    let nameSize = load<u32>(base + 4 + 8 * <usize>this.index);
    let valueSize = load<u32>(base + 8 + 8 * <usize>this.index);
    if (this.offset + <u64>nameSize + <u64>valueSize + 2 > <u64>this.buffer.length) {
      this.count = 0;
      return false;
    }
    this.name = base + <usize>this.offset;
    this.nameLength = nameSize;
    this.value = this.name + nameSize + 1;
    this.valueLength = valueSize;
    this.offset += <u64>nameSize + <u64>valueSize + 2;
    this.index++;
    return true;
  }

  /** Moves to the first pair named `name` (exactly; the host's names are lower case); false when there is none. */
  find(name: ArrayBuffer): bool {
    this.rewind();
    while (this.next()) {
      if (bytesEqual(this.name, this.nameLength, name)) return true;
    }
    return false;
  }

  release(): void {
    this.buffer.release();
    this.count = 0;
    this.index = 0;
  }
}

/** Fills `into` with every pair of a map (none when the host has no such map now). */
export function readHeaderPairs(map: HeaderMapTypeValues, into: HeaderPairs): bool {
  into.release();
  clearCells();
  let result = abi.proxy_get_header_map_pairs(map, POINTER_CELL, SIZE_CELL);
  if (result != WasmResultValues.Ok) {
    clearCells();
    return false;
  }
  into.buffer.adopt();
  into.rewind();
  return true;
}

/** Whether `length` bytes at `pointer` are exactly `expected`. */
export function bytesEqual(pointer: usize, length: usize, expected: ArrayBuffer): bool {
  if (length != <usize>expected.byteLength) return false;
  return memory.compare(pointer, changetype<usize>(expected), length) == 0;
}

/** Whether `length` bytes at `pointer` start with `prefix`. */
export function startsWith(pointer: usize, length: usize, prefix: ArrayBuffer): bool {
  let size = <usize>prefix.byteLength;
  return length >= size && memory.compare(pointer, changetype<usize>(prefix), size) == 0;
}

/** Whether `length` bytes at `pointer` start with `prefix` (lower case), ASCII letters compared without case. */
export function startsWithIgnoringCase(pointer: usize, length: usize, prefix: ArrayBuffer): bool {
  let size = <usize>prefix.byteLength;
  if (length < size) return false;
  let expected = changetype<usize>(prefix);
  for (let i: usize = 0; i < size; i++) {
    let c = load<u8>(pointer + i);
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if (c != load<u8>(expected + i)) return false;
  }
  return true;
}
