namespace ImageHub.ProxyWasm.Abi;

/// <summary>The status every hostcall returns (proxy-wasm spec, <c>proxy_status_t</c>).</summary>
public enum WasmResult
{
    Ok = 0,
    NotFound = 1,
    BadArgument = 2,
    SerializationFailure = 3,
    ParseFailure = 4,
    BadExpression = 5,
    InvalidMemoryAccess = 6,
    Empty = 7,
    CasMismatch = 8,
    ResultMismatch = 9,
    InternalFailure = 10,
    BrokenConnection = 11,
    Unimplemented = 12,
}

/// <summary>Which header map a hostcall addresses.</summary>
public enum HeaderMapType
{
    RequestHeaders = 0,
    RequestTrailers = 1,
    ResponseHeaders = 2,
    ResponseTrailers = 3,
    GrpcReceiveInitialMetadata = 4,
    GrpcReceiveTrailingMetadata = 5,
    HttpCallResponseHeaders = 6,
    HttpCallResponseTrailers = 7,
}

/// <summary>Which buffer a hostcall addresses.</summary>
public enum BufferType
{
    HttpRequestBody = 0,
    HttpResponseBody = 1,
    NetworkDownstreamData = 2,
    NetworkUpstreamData = 3,
    HttpCallResponseBody = 4,
    GrpcReceiveBuffer = 5,
    VmConfiguration = 6,
    PluginConfiguration = 7,
    CallData = 8,
}

public enum StreamType
{
    Request = 0,
    Response = 1,
    Downstream = 2,
    Upstream = 3,
}

public enum MetricType
{
    Counter = 0,
    Gauge = 1,
    Histogram = 2,
}

/// <summary>The guest's log levels (spdlog numbering, as Envoy uses it).</summary>
public enum ProxyLogLevel
{
    Trace = 0,
    Debug = 1,
    Info = 2,
    Warn = 3,
    Error = 4,
    Critical = 5,
}

/// <summary>What <c>proxy_on_request_headers</c>/<c>proxy_on_response_headers</c> return.</summary>
public enum FilterHeadersStatus
{
    Continue = 0,
    StopIteration = 1,
    ContinueAndEndStream = 2,
    StopAllIterationAndBuffer = 3,
    StopAllIterationAndWatermark = 4,
}

/// <summary>What <c>proxy_on_*_body</c> return.</summary>
public enum FilterDataStatus
{
    Continue = 0,
    StopIterationAndBuffer = 1,
    StopIterationAndWatermark = 2,
    StopIterationNoBuffer = 3,
}

/// <summary>What <c>proxy_on_*_trailers</c> return.</summary>
public enum FilterTrailersStatus
{
    Continue = 0,
    StopIteration = 1,
}
