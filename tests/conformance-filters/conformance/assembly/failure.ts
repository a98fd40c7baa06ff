// Misbehaves on request: traps, loops forever, or eats memory, depending on the path.
import { RootContext, Context, FilterHeadersStatusValues, stream_context } from "@solo-io/proxy-runtime";

let served: u32 = 0;
let spins: u64 = 0;
let hoard: ArrayBuffer[] = [];

export class FailureRoot extends RootContext {
  createContext(context_id: u32): Context {
    return new FailureStream(context_id, this);
  }
}

class FailureStream extends Context {
  onRequestHeaders(headers: u32, end_of_stream: bool): FilterHeadersStatusValues {
    let path = stream_context.headers.request.get(":path");
    if (path == "/trap") unreachable();
    if (path == "/loop") {
      while (spins != 0xFFFFFFFFFFFFFFFF) spins++;
    }
    if (path == "/oom") {
      while (true) hoard.push(new ArrayBuffer(1 << 20));
    }
    served++;
    // A fresh replica starts counting again: the header shows which VM answered.
    stream_context.headers.request.add("x-served-by-this-vm", served.toString());
    return FilterHeadersStatusValues.Continue;
  }

  onResponseHeaders(headers: u32, end_of_stream: bool): FilterHeadersStatusValues {
    if (stream_context.headers.response.get(":status") == "599") unreachable();
    return FilterHeadersStatusValues.Continue;
  }
}
