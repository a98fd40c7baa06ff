// Strict base64url (RFC 4648 §5) without padding, as JWS compact serialization uses it.

function sextet(c: u8): i32 {
  if (c >= 0x41 && c <= 0x5a) return <i32>c - 0x41;      // A-Z
  if (c >= 0x61 && c <= 0x7a) return <i32>c - 0x61 + 26; // a-z
  if (c >= 0x30 && c <= 0x39) return <i32>c - 0x30 + 52; // 0-9
  if (c == 0x2d) return 62;                               // -
  if (c == 0x5f) return 63;                               // _
  return -1;
}

/** Decodes `input[start, end)`; null when a character is outside the alphabet or the length is impossible. */
export function decodeBase64Url(input: Uint8Array, start: i32, end: i32): Uint8Array | null {
  let length = end - start;
  if (length < 0 || length % 4 == 1) return null;
  let out = new Uint8Array((length * 3) >> 2);
  let o = 0;
  let acc: u32 = 0;
  let bits = 0;
  for (let i = start; i < end; i++) {
    let v = sextet(input[i]);
    if (v < 0) return null;
    acc = (acc << 6) | <u32>v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = <u8>(acc >> <u32>bits);
    }
  }
  // Non-canonical encodings leave set bits behind; reject them so one token has one spelling.
  if (bits > 0 && (acc & ((1 << <u32>bits) - 1)) != 0) return null;
  return out;
}
