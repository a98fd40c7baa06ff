// Misbehaves on request: traps, loops forever, or eats memory, depending on the path. Other paths
// behave, some of them waiting on a callout to cluster "backend", so a test can watch what a
// failure does to the streams that share the VM.
import { RootContext, Context, FilterHeadersStatusValues, stream_context, continue_request,
  Headers, HeaderPair, log, LogLevelValues } from "@solo-io/proxy-runtime";
import { set_tick_period_milliseconds } from "@solo-io/proxy-runtime/runtime";
import { setEffectiveContext, addHeader, continueStream } from "./raw";

let served: u32 = 0;
let spins: u64 = 0;
let hoard: ArrayBuffer[] = [];
let ticks: u32 = 0;
let trapAtNextTick = false;
let waitingForTick: u32[] = [];

// Ticks every second; a tick continues the "/tick-wait" streams of this VM, or traps after a "/tick-trap".
export class FailureRoot extends RootContext {
  onConfigure(configuration_size: u32): bool {
    super.onConfigure(configuration_size);
    set_tick_period_milliseconds(1000);
    return true;
  }

  onTick(): void {
    ticks++;
    log(LogLevelValues.info, "tick " + ticks.toString() + " waiting=" + waitingForTick.length.toString());
    if (trapAtNextTick) unreachable();
    for (let i = 0; i < waitingForTick.length; i++) {
      setEffectiveContext(waitingForTick[i]);
      addHeader(0, "x-continued-by-tick", ticks.toString());
      continueStream(0);
    }
    waitingForTick = [];
  }

  // With the configuration "linger" the root defers its end and waits for a proxy_done it never calls.
  onDone(): bool {
    super.onDone();
    return this.getConfiguration() != "linger";
  }

  createContext(context_id: u32): Context {
    return new FailureStream(context_id, this);
  }
}

function misbehave(path: string): void {
  if (path == "/trap") unreachable();
  if (path == "/loop") {
    while (spins != 0xFFFFFFFFFFFFFFFF) spins++;
  }
  if (path == "/oom") {
    // Keeps every megabyte it gets: the VM's memory stays full after the failure.
    while (true) hoard.push(new ArrayBuffer(1 << 20));
  }
  if (path == "/huge") {
    // One allocation beyond the memory limit: fails without using up the memory.
    hoard.push(new ArrayBuffer(1 << 29));
  }
}

function pair(name: string, value: string): HeaderPair {
  return new HeaderPair(String.UTF8.encode(name), String.UTF8.encode(value));
}

// The answer to a "/wait..." stream's callout: a path after "/wait" misbehaves now, the rest continue.
function onAnswer(origin: Context, headers: u32, body_size: usize, trailers: u32): void {
  let stream = changetype<FailureStream>(origin);
  misbehave(stream.path.substring(5));
  served++;
  stream_context.headers.request.add("x-callout-status", stream_context.headers.http_callback.get(":status"));
  stream_context.headers.request.add("x-served-by-this-vm", served.toString());
  continue_request();
}

class FailureStream extends Context {
  path: string = "";

  onRequestHeaders(headers: u32, end_of_stream: bool): FilterHeadersStatusValues {
    this.path = stream_context.headers.request.get(":path");
    if (this.path.startsWith("/wait")) {
      let request: Headers = [pair(":method", "GET"), pair(":path", "/answer"), pair(":authority", "backend")];
      this.root_context.httpCall("backend", request, new ArrayBuffer(0), [], 60000, this, onAnswer);
      return FilterHeadersStatusValues.StopIteration;
    }
    if (this.path == "/tick-wait") {
      waitingForTick.push(this.context_id);
      return FilterHeadersStatusValues.StopIteration;
    }
    if (this.path == "/tick-trap") trapAtNextTick = true;
    misbehave(this.path);
    served++;
    // A fresh replica starts counting again: the header shows which VM answered.
    stream_context.headers.request.add("x-served-by-this-vm", served.toString());
    return FilterHeadersStatusValues.Continue;
  }

  onResponseHeaders(headers: u32, end_of_stream: bool): FilterHeadersStatusValues {
    if (stream_context.headers.response.get(":status") == "599") unreachable();
    stream_context.headers.response.add("x-served-by-this-vm", served.toString());
    return FilterHeadersStatusValues.Continue;
  }
}
