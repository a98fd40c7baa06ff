// Counts requests in shared data with compare-and-swap.
import { RootContext, Context, FilterHeadersStatusValues, stream_context } from "@solo-io/proxy-runtime";
import { getSharedData, setSharedData } from "./raw";

export class SharedRoot extends RootContext {
  createContext(context_id: u32): Context {
    return new SharedStream(context_id, this);
  }
}

class SharedStream extends Context {
  onRequestHeaders(headers: u32, end_of_stream: bool): FilterHeadersStatusValues {
    let request = stream_context.headers.request;
    let before = getSharedData("hits");
    request.add("x-first-read", before.status.toString());
    let hits: u32 = before.status == 0 ? U32.parseInt(before.text) as u32 : 0;
    let written = setSharedData("hits", (hits + 1).toString(), before.status == 0 ? before.number as u32 : 0);
    request.add("x-write", written.toString());
    let after = getSharedData("hits");
    request.add("x-hits", after.text);
    // The CAS read first is stale now: a conditional write with it is refused.
    if (before.status == 0) request.add("x-stale-write", setSharedData("hits", "999", before.number as u32).toString());
    request.add("x-cas-changed", (after.number != before.number) ? "yes" : "no");
    return FilterHeadersStatusValues.Continue;
  }
}
