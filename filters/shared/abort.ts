// AssemblyScript calls `abort` on failed assertions and runtime errors. Mapping it onto
// proxy_log + a trap keeps the module's imports to the plain Proxy-Wasm ABI (no WASI
// proc_exit, no env.abort): the host logs the reason and fails only the current call.
// Select it with `--use abort=imagehub_abort`.
// It must not allocate: the failure may be the allocator's own (out of memory, corrupt heap).

// @ts-ignore: decorator
@external("env", "proxy_log")
declare function proxy_log_for_abort(level: i32, message: usize, size: usize): u32;

const MESSAGE_BYTES = 512;
const MESSAGE = new ArrayBuffer(MESSAGE_BYTES); // reserved at start-up for the last words
let written = 0;

function append(text: string | null): void {
  if (text === null) return;
  let base = changetype<usize>(MESSAGE);
  for (let i = 0; i < text.length && written < MESSAGE_BYTES; i++) {
    let c = text.charCodeAt(i);
    store<u8>(base + written++, c < 0x80 ? <u8>c : 0x3f); // non-ASCII becomes '?'
  }
}

function appendNumber(value: u32): void {
  let digits = 1;
  for (let v = value; v >= 10; v /= 10) digits++;
  if (written + digits > MESSAGE_BYTES) return;
  let base = changetype<usize>(MESSAGE);
  for (let i = digits - 1, v = value; i >= 0; i--, v /= 10) store<u8>(base + written + i, <u8>(0x30 + v % 10));
  written += digits;
}

// @ts-ignore: decorator
@global
export function imagehub_abort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  written = 0;
  append("filter aborted: ");
  append(message);
  append(" at ");
  append(fileName);
  append(":");
  appendNumber(line);
  append(":");
  appendNumber(column);
  proxy_log_for_abort(5 /* critical */, changetype<usize>(MESSAGE), written);
  unreachable();
}
