// SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104), written here because AssemblyScript has
// no crypto library and the filter must verify HS256 session tokens on its own.

const K: StaticArray<u32> = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

export const SHA256_BLOCK_BYTES = 64;
export const SHA256_DIGEST_BYTES = 32;

/** Incremental SHA-256: update() any number of times, then digest() once. */
export class Sha256 {
  private h: StaticArray<u32> = new StaticArray<u32>(8);
  private w: StaticArray<u32> = new StaticArray<u32>(64);
  private block: Uint8Array = new Uint8Array(64);
  private blockLength: i32 = 0;
  private totalBytes: u64 = 0;

  constructor() {
    this.h[0] = 0x6a09e667; this.h[1] = 0xbb67ae85; this.h[2] = 0x3c6ef372; this.h[3] = 0xa54ff53a;
    this.h[4] = 0x510e527f; this.h[5] = 0x9b05688c; this.h[6] = 0x1f83d9ab; this.h[7] = 0x5be0cd19;
  }

  update(data: Uint8Array): Sha256 {
    for (let i = 0; i < data.length; i++) {
      this.block[this.blockLength++] = data[i];
      if (this.blockLength == 64) {
        this.compress();
        this.blockLength = 0;
      }
    }
    this.totalBytes += <u64>data.length;
    return this;
  }

  digest(): Uint8Array {
    let bitLength = this.totalBytes * 8;
    this.block[this.blockLength++] = 0x80;
    if (this.blockLength > 56) {
      while (this.blockLength < 64) this.block[this.blockLength++] = 0;
      this.compress();
      this.blockLength = 0;
    }
    while (this.blockLength < 56) this.block[this.blockLength++] = 0;
    for (let i = 7; i >= 0; i--) {
      this.block[56 + (7 - i)] = <u8>(bitLength >> (<u64>i * 8));
    }
    this.compress();
    let out = new Uint8Array(32);
    for (let i = 0; i < 8; i++) {
      let v = this.h[i];
      out[i * 4] = <u8>(v >> 24);
      out[i * 4 + 1] = <u8>(v >> 16);
      out[i * 4 + 2] = <u8>(v >> 8);
      out[i * 4 + 3] = <u8>v;
    }
    return out;
  }

  private compress(): void {
    let w = this.w;
    for (let i = 0; i < 16; i++) {
      w[i] = (<u32>this.block[i * 4] << 24) | (<u32>this.block[i * 4 + 1] << 16) |
             (<u32>this.block[i * 4 + 2] << 8) | <u32>this.block[i * 4 + 3];
    }
    for (let i = 16; i < 64; i++) {
      let x = w[i - 15];
      let y = w[i - 2];
      let s0 = rotr<u32>(x, 7) ^ rotr<u32>(x, 18) ^ (x >>> 3);
      let s1 = rotr<u32>(y, 17) ^ rotr<u32>(y, 19) ^ (y >>> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    let a = this.h[0], b = this.h[1], c = this.h[2], d = this.h[3];
    let e = this.h[4], f = this.h[5], g = this.h[6], h = this.h[7];
    for (let i = 0; i < 64; i++) {
      let S1 = rotr<u32>(e, 6) ^ rotr<u32>(e, 11) ^ rotr<u32>(e, 25);
      let ch = (e & f) ^ (~e & g);
      let t1 = h + S1 + ch + K[i] + w[i];
      let S0 = rotr<u32>(a, 2) ^ rotr<u32>(a, 13) ^ rotr<u32>(a, 22);
      let maj = (a & b) ^ (a & c) ^ (b & c);
      let t2 = S0 + maj;
      h = g; g = f; f = e; e = d + t1;
      d = c; c = b; b = a; a = t1 + t2;
    }
    this.h[0] += a; this.h[1] += b; this.h[2] += c; this.h[3] += d;
    this.h[4] += e; this.h[5] += f; this.h[6] += g; this.h[7] += h;
  }
}

export function sha256(data: Uint8Array): Uint8Array {
  return new Sha256().update(data).digest();
}

/** HMAC-SHA256 of `message` under `key` (keys longer than a block are hashed first). */
export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
  // (if/else rather than ?: — AS 0.14 miscounts references when ?: mixes a local and a new object)
  let k = key;
  if (key.length > SHA256_BLOCK_BYTES) k = sha256(key);
  let inner = new Uint8Array(SHA256_BLOCK_BYTES);
  let outer = new Uint8Array(SHA256_BLOCK_BYTES);
  for (let i = 0; i < SHA256_BLOCK_BYTES; i++) {
    let b: u8 = i < k.length ? k[i] : 0;
    inner[i] = b ^ 0x36;
    outer[i] = b ^ 0x5c;
  }
  let innerHash = new Sha256().update(inner).update(message).digest();
  return new Sha256().update(outer).update(innerHash).digest();
}

/** Compares without an early exit, so timing does not reveal how many bytes matched. */
export function constantTimeEquals(a: Uint8Array, b: Uint8Array): bool {
  if (a.length != b.length) return false;
  let diff: u32 = 0;
  for (let i = 0; i < a.length; i++) diff |= <u32>(a[i] ^ b[i]);
  return diff == 0;
}
