// A small, strict JSON reader and a string escaper: AssemblyScript 0.14 has no JSON in its
// standard library, and the filters only read flat plugin configurations, token claims and
// the quota service's answer. Limits on size and depth keep hostile input cheap to reject.

export const enum JsonKind { Null, Bool, Number, String, Array, Object }

/** One parsed value; a single class (not a hierarchy) because AS 0.14 casts are unchecked. */
export class JsonValue {
  kind: JsonKind = JsonKind.Null;
  boolean: bool = false;
  number: f64 = 0;
  text: string = "";
  items: Array<JsonValue> = new Array<JsonValue>();
  keys: Array<string> = new Array<string>();

  /** The member named `key` of an object, or null (also when this is not an object). */
  get(key: string): JsonValue | null {
    if (this.kind != JsonKind.Object) return null;
    // Last one wins, as in most JSON readers.
    for (let i = this.keys.length - 1; i >= 0; i--) {
      if (this.keys[i] == key) return this.items[i];
    }
    return null;
  }

  has(key: string): bool { return this.get(key) !== null; }
  isString(): bool { return this.kind == JsonKind.String; }
  isNumber(): bool { return this.kind == JsonKind.Number; }
  isBool(): bool { return this.kind == JsonKind.Bool; }
  isArray(): bool { return this.kind == JsonKind.Array; }
  isObject(): bool { return this.kind == JsonKind.Object; }
}

/** The outcome of a parse: `value` is null and `error` says why when the text is not JSON. */
export class JsonResult {
  value: JsonValue | null = null;
  error: string = "";
}

const MAX_DEPTH = 32;

class JsonReader {
  pos: i32 = 0;
  error: string = "";
  constructor(public bytes: Uint8Array) {}

  fail(message: string): JsonValue | null {
    if (this.error.length == 0) this.error = message + " at byte " + this.pos.toString();
    return null;
  }

  skipSpace(): void {
    while (this.pos < this.bytes.length) {
      let c = this.bytes[this.pos];
      if (c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d) this.pos++;
      else break;
    }
  }

  peek(): i32 { return this.pos < this.bytes.length ? <i32>this.bytes[this.pos] : -1; }

  literal(word: string): bool {
    if (this.pos + word.length > this.bytes.length) return false;
    for (let i = 0; i < word.length; i++) {
      if (<i32>this.bytes[this.pos + i] != word.charCodeAt(i)) return false;
    }
    this.pos += word.length;
    return true;
  }

  value(depth: i32): JsonValue | null {
    if (depth > MAX_DEPTH) return this.fail("nesting deeper than " + MAX_DEPTH.toString());
    this.skipSpace();
    let c = this.peek();
    if (c == 0x7b) return this.object(depth);
    if (c == 0x5b) return this.array(depth);
    if (c == 0x22) {
      let s = this.string();
      if (s === null) return null;
      let v = new JsonValue();
      v.kind = JsonKind.String;
      v.text = s;
      return v;
    }
    if (c == 0x74 && this.literal("true")) { let v = new JsonValue(); v.kind = JsonKind.Bool; v.boolean = true; return v; }
    if (c == 0x66 && this.literal("false")) { let v = new JsonValue(); v.kind = JsonKind.Bool; return v; }
    if (c == 0x6e && this.literal("null")) return new JsonValue();
    if (c == 0x2d || (c >= 0x30 && c <= 0x39)) return this.numberValue();
    return this.fail(c < 0 ? "unexpected end of input" : "unexpected character");
  }

  object(depth: i32): JsonValue | null {
    let v = new JsonValue();
    v.kind = JsonKind.Object;
    this.pos++; // {
    this.skipSpace();
    if (this.peek() == 0x7d) { this.pos++; return v; }
    while (true) {
      this.skipSpace();
      if (this.peek() != 0x22) return this.fail("expected a member name");
      let key = this.string();
      if (key === null) return null;
      this.skipSpace();
      if (this.peek() != 0x3a) return this.fail("expected ':'");
      this.pos++;
      let item = this.value(depth + 1);
      if (item === null) return null;
      v.keys.push(key);
      v.items.push(item);
      this.skipSpace();
      let c = this.peek();
      if (c == 0x2c) { this.pos++; continue; }
      if (c == 0x7d) { this.pos++; return v; }
      return this.fail("expected ',' or '}'");
    }
    return v; // unreachable, keeps the compiler happy
  }

  array(depth: i32): JsonValue | null {
    let v = new JsonValue();
    v.kind = JsonKind.Array;
    this.pos++; // [
    this.skipSpace();
    if (this.peek() == 0x5d) { this.pos++; return v; }
    while (true) {
      let item = this.value(depth + 1);
      if (item === null) return null;
      v.items.push(item);
      this.skipSpace();
      let c = this.peek();
      if (c == 0x2c) { this.pos++; continue; }
      if (c == 0x5d) { this.pos++; return v; }
      return this.fail("expected ',' or ']'");
    }
    return v;
  }

  numberValue(): JsonValue | null {
    let start = this.pos;
    if (this.peek() == 0x2d) this.pos++;
    let digits = 0;
    while (this.peek() >= 0x30 && this.peek() <= 0x39) { this.pos++; digits++; }
    if (digits == 0) { this.fail("malformed number"); return null; }
    if (this.peek() == 0x2e) {
      this.pos++;
      let fraction = 0;
      while (this.peek() >= 0x30 && this.peek() <= 0x39) { this.pos++; fraction++; }
      if (fraction == 0) { this.fail("malformed number"); return null; }
    }
    if (this.peek() == 0x65 || this.peek() == 0x45) {
      this.pos++;
      if (this.peek() == 0x2b || this.peek() == 0x2d) this.pos++;
      let exponent = 0;
      while (this.peek() >= 0x30 && this.peek() <= 0x39) { this.pos++; exponent++; }
      if (exponent == 0) { this.fail("malformed number"); return null; }
    }
    let text = String.UTF8.decodeUnsafe(changetype<usize>(this.bytes.buffer) + this.bytes.byteOffset + start, this.pos - start);
    let v = new JsonValue();
    v.kind = JsonKind.Number;
    v.number = parseFloat(text);
    return v;
  }

  hex4(): i32 {
    if (this.pos + 4 > this.bytes.length) return -1;
    let value = 0;
    for (let i = 0; i < 4; i++) {
      let c = <i32>this.bytes[this.pos + i];
      let d: i32;
      if (c >= 0x30 && c <= 0x39) d = c - 0x30;
      else if (c >= 0x61 && c <= 0x66) d = c - 0x61 + 10;
      else if (c >= 0x41 && c <= 0x46) d = c - 0x41 + 10;
      else return -1;
      value = (value << 4) | d;
    }
    this.pos += 4;
    return value;
  }

  /** Reads a string literal; the result is decoded from UTF-8 with escapes applied. */
  string(): string | null {
    this.pos++; // opening quote
    let out = "";
    let runStart = this.pos;
    while (true) {
      if (this.pos >= this.bytes.length) { this.fail("unterminated string"); return null; }
      let c = <i32>this.bytes[this.pos];
      if (c == 0x22) {
        out += this.run(runStart, this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) { this.fail("control character in string"); return null; }
      if (c != 0x5c) { this.pos++; continue; }
      out += this.run(runStart, this.pos);
      this.pos++;
      if (this.pos >= this.bytes.length) { this.fail("unterminated string"); return null; }
      let e = <i32>this.bytes[this.pos++];
      if (e == 0x22) out += "\"";
      else if (e == 0x5c) out += "\\";
      else if (e == 0x2f) out += "/";
      else if (e == 0x62) out += "\b";
      else if (e == 0x66) out += "\f";
      else if (e == 0x6e) out += "\n";
      else if (e == 0x72) out += "\r";
      else if (e == 0x74) out += "\t";
      else if (e == 0x75) {
        let unit = this.hex4();
        if (unit < 0) { this.fail("malformed \\u escape"); return null; }
        out += String.fromCharCode(unit);
      } else { this.fail("unknown escape"); return null; }
      runStart = this.pos;
    }
    return out;
  }

  run(start: i32, end: i32): string {
    if (end <= start) return "";
    return String.UTF8.decodeUnsafe(changetype<usize>(this.bytes.buffer) + this.bytes.byteOffset + start, end - start);
  }
}

/** Parses a whole document; trailing non-space text is an error. */
export function parseJson(bytes: Uint8Array, maxBytes: i32): JsonResult {
  let result = new JsonResult();
  if (bytes.length > maxBytes) {
    result.error = "document larger than " + maxBytes.toString() + " bytes";
    return result;
  }
  let reader = new JsonReader(bytes);
  let value = reader.value(0);
  if (value !== null) {
    reader.skipSpace();
    if (reader.pos != bytes.length) {
      reader.fail("unexpected text after the value");
      value = null;
    }
  }
  result.value = value;
  result.error = reader.error;
  return result;
}

export function parseJsonBuffer(buffer: ArrayBuffer, maxBytes: i32): JsonResult {
  return parseJson(Uint8Array.wrap(buffer), maxBytes);
}

const HEX = "0123456789abcdef";

/** A JSON string literal (with quotes) for `s`. */
export function jsonString(s: string): string {
  let out = "\"";
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c == 0x22) out += "\\\"";
    else if (c == 0x5c) out += "\\\\";
    else if (c < 0x20) {
      out += "\\u00" + HEX.charAt((c >> 4) & 0xf) + HEX.charAt(c & 0xf);
    } else out += String.fromCharCode(c);
  }
  return out + "\"";
}
