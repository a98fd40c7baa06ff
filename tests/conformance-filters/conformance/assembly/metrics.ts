// Defines a counter, a gauge and a histogram and moves them per request.
import { RootContext, Context, FilterHeadersStatusValues, stream_context } from "@solo-io/proxy-runtime";
import { defineMetric, incrementMetric, recordMetric, getMetric } from "./raw";

let requests: u32 = 0;
let active: u32 = 0;
let pathLength: u32 = 0;

export class MetricsRoot extends RootContext {
  onConfigure(configuration_size: u32): bool {
    requests = defineMetric(0, "conformance.requests").number as u32;
    active = defineMetric(1, "conformance.active").number as u32;
    pathLength = defineMetric(2, "conformance.path_length").number as u32;
    return true;
  }

  createContext(context_id: u32): Context {
    return new MetricsStream(context_id, this);
  }
}

class MetricsStream extends Context {
  onRequestHeaders(headers: u32, end_of_stream: bool): FilterHeadersStatusValues {
    let request = stream_context.headers.request;
    incrementMetric(requests, 1);
    incrementMetric(active, 1);
    recordMetric(pathLength, request.get(":path").length as u64);
    request.add("x-requests", getMetric(requests).number.toString());
    request.add("x-ids", requests.toString() + "," + active.toString() + "," + pathLength.toString());
    request.add("x-negative-counter", incrementMetric(requests, -1).toString());
    request.add("x-histogram-read", getMetric(pathLength).status.toString());
    request.add("x-unknown-metric", incrementMetric(4000, 1).toString());
    request.add("x-bad-type", defineMetric(7, "nope").status.toString());
    return FilterHeadersStatusValues.Continue;
  }

  onDone(): bool {
    incrementMetric(active, -1);
    return true;
  }
}
