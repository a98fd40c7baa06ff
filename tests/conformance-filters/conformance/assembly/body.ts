// Buffers the request body and upper-cases it; appends a marker to the response body.
import { RootContext, Context, FilterDataStatusValues } from "@solo-io/proxy-runtime";
import { getBuffer, setBuffer, bufferLength } from "./raw";

const RequestBody: u32 = 0;
const ResponseBody: u32 = 1;

export class BodyRoot extends RootContext {
  createContext(context_id: u32): Context {
    return new BodyStream(context_id, this);
  }
}

class BodyStream extends Context {
  onRequestBody(body_buffer_length: usize, end_of_stream: bool): FilterDataStatusValues {
    if (!end_of_stream) return FilterDataStatusValues.StopIterationAndBuffer;
    let status = bufferLength(RequestBody);
    let body = getBuffer(RequestBody, 0, status.number as u32);
    let bytes = Uint8Array.wrap(body.bytes);
    for (let i = 0; i < bytes.length; i++) {
      let c = bytes[i];
      if (c >= 97 && c <= 122) bytes[i] = c - 32;
    }
    setBuffer(RequestBody, 0, body_buffer_length as u32, body.bytes);
    return FilterDataStatusValues.Continue;
  }

  onResponseBody(body_buffer_length: usize, end_of_stream: bool): FilterDataStatusValues {
    if (!end_of_stream) return FilterDataStatusValues.StopIterationAndBuffer;
    setBuffer(ResponseBody, body_buffer_length as u32, 0, String.UTF8.encode(" [filtered]"));
    // A splice in the middle is refused (BadArgument) and changes nothing.
    if (body_buffer_length > 2 && setBuffer(ResponseBody, 1, 1, String.UTF8.encode("X")) != 2) unreachable();
    return FilterDataStatusValues.Continue;
  }
}
