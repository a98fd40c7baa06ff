// Logs every callback so a test can check the order Envoy calls them in.
import { RootContext, Context, FilterHeadersStatusValues, FilterDataStatusValues, FilterTrailersStatusValues,
  log, LogLevelValues, stream_context } from "@solo-io/proxy-runtime";
import { done, set_tick_period_milliseconds } from "@solo-io/proxy-runtime/runtime";
import { getBuffer } from "./raw";

const VmConfiguration: u32 = 6;

export class LifecycleRoot extends RootContext {
  onStart(vm_configuration_size: usize): bool {
    let vm = getBuffer(VmConfiguration, 0, vm_configuration_size as u32);
    log(LogLevelValues.info, "vm_start root=" + this.context_id.toString() + " vm_config=" + vm.text);
    return true;
  }

  onConfigure(configuration_size: u32): bool {
    super.onConfigure(configuration_size);
    let configuration = this.getConfiguration();
    log(LogLevelValues.info, "configure root=" + this.context_id.toString() + " config=" + configuration);
    return configuration != "reject";
  }

  createContext(context_id: u32): Context {
    log(LogLevelValues.info, "create " + context_id.toString() + " root=" + this.context_id.toString());
    return new LifecycleStream(context_id, this);
  }

  // With the configuration "linger" the root defers its end (on_done answers false) and calls
  // proxy_done at its next tick, as a filter that flushes something on unload would.
  onDone(): bool {
    let linger = this.getConfiguration() == "linger";
    log(LogLevelValues.info, "root_done " + this.context_id.toString() + (linger ? " deferred" : ""));
    if (linger) set_tick_period_milliseconds(1000);
    return !linger;
  }

  onTick(): void {
    log(LogLevelValues.info, "root_tick proxy_done=" + done().toString());
  }

  onDelete(): void {
    log(LogLevelValues.info, "root_delete " + this.context_id.toString());
  }
}

class LifecycleStream extends Context {
  onRequestHeaders(headers: u32, end_of_stream: bool): FilterHeadersStatusValues {
    log(LogLevelValues.info, "request_headers " + this.context_id.toString() + " count=" + headers.toString() + " eos=" + (end_of_stream ? "1" : "0"));
    if (stream_context.headers.request.get(":path") == "/done") {
      stream_context.headers.request.add("x-proxy-done", done().toString());
    }
    return FilterHeadersStatusValues.Continue;
  }

  onRequestBody(body_buffer_length: usize, end_of_stream: bool): FilterDataStatusValues {
    log(LogLevelValues.info, "request_body " + this.context_id.toString() + " size=" + body_buffer_length.toString() + " eos=" + (end_of_stream ? "1" : "0"));
    return FilterDataStatusValues.Continue;
  }

  onRequestTrailers(trailers: u32): FilterTrailersStatusValues {
    log(LogLevelValues.info, "request_trailers " + this.context_id.toString() + " count=" + trailers.toString());
    return FilterTrailersStatusValues.Continue;
  }

  onResponseHeaders(headers: u32, end_of_stream: bool): FilterHeadersStatusValues {
    log(LogLevelValues.info, "response_headers " + this.context_id.toString() + " count=" + headers.toString() + " eos=" + (end_of_stream ? "1" : "0"));
    return FilterHeadersStatusValues.Continue;
  }

  onResponseBody(body_buffer_length: usize, end_of_stream: bool): FilterDataStatusValues {
    log(LogLevelValues.info, "response_body " + this.context_id.toString() + " size=" + body_buffer_length.toString() + " eos=" + (end_of_stream ? "1" : "0"));
    return FilterDataStatusValues.Continue;
  }

  onResponseTrailers(trailers: u32): FilterTrailersStatusValues {
    log(LogLevelValues.info, "response_trailers " + this.context_id.toString() + " count=" + trailers.toString());
    return FilterTrailersStatusValues.Continue;
  }

  onDone(): bool {
    log(LogLevelValues.info, "done " + this.context_id.toString());
    return true;
  }

  onLog(): void {
    log(LogLevelValues.info, "log " + this.context_id.toString());
  }

  onDelete(): void {
    log(LogLevelValues.info, "delete " + this.context_id.toString());
  }
}
