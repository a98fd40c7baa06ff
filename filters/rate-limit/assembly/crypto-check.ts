// A tiny module built from the same SHA-256/HMAC source as the filter, so tests can check it
// against the FIPS 180 and RFC 4231 vectors without a Proxy-Wasm host. It imports nothing.
// Protocol: write the key then the message into scratch(), call hmac/sha256 with their
// lengths; the 32-byte digest is written at digest().

import { sha256, hmacSha256 } from "../../shared/sha256";

const SCRATCH_BYTES = 1 << 20;
const SCRATCH = new ArrayBuffer(SCRATCH_BYTES);
const DIGEST = new ArrayBuffer(32);

// @ts-ignore: decorator
@global
export function crypto_check_abort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  unreachable();
}

export function scratch(): usize { return changetype<usize>(SCRATCH); }
export function scratchSize(): i32 { return SCRATCH_BYTES; }
export function digest(): usize { return changetype<usize>(DIGEST); }

function publish(result: Uint8Array): void {
  memory.copy(changetype<usize>(DIGEST), result.dataStart, 32);
}

/** SHA-256 of scratch[0, length). */
export function sha256Scratch(length: i32): void {
  if (length < 0 || length > SCRATCH_BYTES) unreachable();
  publish(sha256(Uint8Array.wrap(SCRATCH, 0, length)));
}

/** HMAC-SHA256 with key scratch[0, keyLength) over message scratch[keyLength, keyLength + messageLength). */
export function hmacScratch(keyLength: i32, messageLength: i32): void {
  if (keyLength < 0 || messageLength < 0 || keyLength + messageLength > SCRATCH_BYTES) unreachable();
  publish(hmacSha256(Uint8Array.wrap(SCRATCH, 0, keyLength), Uint8Array.wrap(SCRATCH, keyLength, messageLength)));
}
