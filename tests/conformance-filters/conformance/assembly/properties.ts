// Reads properties into request/response headers, decoding them the way Envoy encodes them.
import { RootContext, Context, FilterHeadersStatusValues, stream_context } from "@solo-io/proxy-runtime";
import { getProperty, setProperty } from "./raw";

export class PropertiesRoot extends RootContext {
  createContext(context_id: u32): Context {
    return new PropertiesStream(context_id, this);
  }
}

function text(path: string): string {
  let answer = getProperty(path);
  return answer.status == 0 ? answer.text : "status " + answer.status.toString();
}

function integer(path: string): string {
  let answer = getProperty(path);
  if (answer.status != 0) return "status " + answer.status.toString();
  return answer.bytes.byteLength.toString() + " bytes: " + answer.number.toString();
}

class PropertiesStream extends Context {
  onRequestHeaders(headers: u32, end_of_stream: bool): FilterHeadersStatusValues {
    let request = stream_context.headers.request;
    request.add("x-plugin-name", text("plugin_name"));
    request.add("x-plugin-root-id", text("plugin_root_id"));
    request.add("x-plugin-vm-id", text("plugin_vm_id"));
    request.add("x-request-path", text("request\0path"));
    request.add("x-request-url-path", text("request\0url_path"));
    request.add("x-request-method", text("request\0method"));
    request.add("x-request-host", text("request\0host"));
    request.add("x-request-header", text("request\0headers\0x-test"));
    request.add("x-source-address", text("source\0address"));
    request.add("x-source-port", integer("source\0port"));
    request.add("x-connection-id", integer("connection\0id"));
    request.add("x-request-time", integer("request\0time"));
    request.add("x-unknown", text("nothing\0here"));
    request.add("x-set", setProperty("conformance\0tenant", "acme").toString());
    request.add("x-get-back", text("conformance\0tenant"));
    return FilterHeadersStatusValues.Continue;
  }

  onResponseHeaders(headers: u32, end_of_stream: bool): FilterHeadersStatusValues {
    let response = stream_context.headers.response;
    response.add("x-response-code", integer("response\0code"));
    response.add("x-still-set", text("conformance\0tenant"));
    return FilterHeadersStatusValues.Continue;
  }
}
