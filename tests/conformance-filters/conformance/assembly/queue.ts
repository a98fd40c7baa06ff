// Registers a shared queue; requests enqueue their path; the root drains it when told it is ready.
import { RootContext, Context, FilterHeadersStatusValues, stream_context, log, LogLevelValues } from "@solo-io/proxy-runtime";
import { registerQueue, resolveQueue, enqueue, dequeue } from "./raw";

export class QueueRoot extends RootContext {
  onConfigure(configuration_size: u32): bool {
    let registered = registerQueue("events");
    log(LogLevelValues.info, "registered status=" + registered.status.toString() + " token=" + registered.number.toString());
    return true;
  }

  onQueueReady(token: u32): void {
    while (true) {
      let item = dequeue(token);
      if (item.status != 0) {
        log(LogLevelValues.info, "drained status=" + item.status.toString());
        return;
      }
      log(LogLevelValues.info, "dequeued " + item.text);
    }
  }

  createContext(context_id: u32): Context {
    return new QueueStream(context_id, this);
  }
}

class QueueStream extends Context {
  onRequestHeaders(headers: u32, end_of_stream: bool): FilterHeadersStatusValues {
    let request = stream_context.headers.request;
    let queue = resolveQueue("", "events");
    request.add("x-resolve", queue.status.toString());
    request.add("x-enqueue", enqueue(queue.number as u32, request.get(":path")).toString());
    request.add("x-unknown-queue", resolveQueue("", "missing").status.toString());
    request.add("x-bad-token", enqueue(12345, "x").toString());
    return FilterHeadersStatusValues.Continue;
  }
}
