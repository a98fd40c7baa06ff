// multi-tenancy: every request gets exactly one tenant, chosen by the edge, never by the client.
// See ../README.md for the configuration and the header contract.

// The Proxy-Wasm entry points: the SDK's for the VM and the root context, ours for the streams
// (see ../../shared/streams.ts for why).
export { malloc, free } from "@solo-io/proxy-runtime/malloc";
export {
  proxy_abi_version_0_2_0, proxy_on_vm_start, proxy_validate_configuration, proxy_on_configure,
  proxy_on_tick, proxy_on_foreign_function, proxy_on_queue_ready,
  proxy_on_grpc_receive_initial_metadata, proxy_on_grpc_trailing_metadata, proxy_on_grpc_receive,
  proxy_on_grpc_close, proxy_on_http_call_response,
} from "@solo-io/proxy-runtime/exports";
export {
  proxy_on_context_create, proxy_on_done, proxy_on_log, proxy_on_delete,
  proxy_on_request_headers, proxy_on_request_body, proxy_on_request_trailers, proxy_on_request_metadata,
  proxy_on_response_headers, proxy_on_response_body, proxy_on_response_trailers, proxy_on_response_metadata,
} from "../../shared/streams";
import { trackStream, Stream } from "../../shared/streams";
import "../../shared/abort";
import { RootContext, Context, registerRootContext, FilterHeadersStatusValues } from "@solo-io/proxy-runtime";
import { HeaderMapTypeValues } from "@solo-io/proxy-runtime/runtime";
import {
  HeaderList, headerPairs, headerText, replaceHeader, removeHeaderBytes, sendJsonReply,
  pluginConfiguration, defineMetric, incrementMetric, MetricKind, logError, logInfo,
} from "../../shared/host";
import { TenancyConfig, Tenant, parseTenancyConfig } from "./config";
import { tenantByHost, tenantById, tenantFromPath, PathTenant } from "./resolve";

const REQUEST = HeaderMapTypeValues.RequestHeaders;
const RESPONSE = HeaderMapTypeValues.ResponseHeaders;

class TenancyRoot extends RootContext {
  config: TenancyConfig | null = null;
  /** Metric ids parallel to config.tenants. */
  requestMetrics: Array<i64> = new Array<i64>();
  rejectionMetric: i64 = -1;

  onConfigure(configurationSize: u32): bool {
    let result = parseTenancyConfig(pluginConfiguration(configurationSize));
    let config = result.config;
    if (config === null) {
      logError("multi-tenancy: invalid plugin configuration: " + result.error);
      return false;
    }
    let metrics = new Array<i64>();
    for (let i = 0; i < config.tenants.length; i++) {
      metrics.push(defineMetric(MetricKind.Counter, "tenancy." + config.tenants[i].id + ".requests"));
    }
    this.rejectionMetric = defineMetric(MetricKind.Counter, "tenancy.unknown_tenant.rejections");
    this.requestMetrics = metrics;
    this.config = config;
    let summary = "multi-tenancy: configured " + config.tenants.length.toString() + " tenants";
    if (config.pathPrefix.length > 0) summary += ", path prefix " + config.pathPrefix;
    logInfo(summary);
    return true;
  }

  createContext(contextId: u32): Context {
    let stream = new TenancyStream(contextId, this);
    trackStream(stream);
    return stream;
  }

  countRequest(tenant: Tenant): void {
    let config = this.config!;
    for (let i = 0; i < config.tenants.length; i++) {
      if (config.tenants[i] === tenant) { incrementMetric(this.requestMetrics[i], 1); return; }
    }
  }
}

class TenancyStream extends Stream {
  tenantId: string = "";
  /** The typed root (a field, not a cast of root_context: casts confuse AS 0.14's reference counting). */
  root: TenancyRoot;

  constructor(contextId: u32, root: TenancyRoot) {
    super(contextId, root);
    this.root = root;
  }

  onRequestHeaders(headerCount: u32, endOfStream: bool): FilterHeadersStatusValues {
    let root = this.root;
    let config = root.config;
    if (config === null) {
      // Only reachable when a host keeps serving after on_configure failed; never guess a tenant.
      sendJsonReply(503, "imagehub_tenancy_not_configured", "{\"error\":\"filter_not_configured\"}", new HeaderList());
      return FilterHeadersStatusValues.StopIteration;
    }

    stripClientIdentity(config.stripHeaderPrefix);

    let authority = headerText(REQUEST, ":authority");
    let path = headerText(REQUEST, ":path");
    let tenant: Tenant | null = null;
    let fromPath: PathTenant | null = null;
    if (path !== null) fromPath = tenantFromPath(config.pathPrefix, path);
    if (fromPath !== null) {
      tenant = tenantById(config, fromPath.id);
      if (tenant !== null) replaceHeader(REQUEST, ":path", fromPath.upstreamPath);
    } else if (authority !== null) {
      tenant = tenantByHost(config, authority);
    }

    if (tenant === null) {
      incrementMetric(root.rejectionMetric, 1);
      sendJsonReply(404, "imagehub_unknown_tenant", "{\"error\":\"unknown_tenant\"}", new HeaderList());
      return FilterHeadersStatusValues.StopIteration;
    }

    this.tenantId = tenant.id;
    root.countRequest(tenant);
    replaceHeader(REQUEST, config.tenantHeader, tenant.id);
    return FilterHeadersStatusValues.Continue;
  }

  onResponseHeaders(headerCount: u32, endOfStream: bool): FilterHeadersStatusValues {
    if (this.tenantId.length > 0) {
      let root = this.root;
      replaceHeader(RESPONSE, root.config!.tenantHeader, this.tenantId);
    }
    return FilterHeadersStatusValues.Continue;
  }
}

/** Removes every request header whose name starts with `prefix` (compared case-insensitively). */
function stripClientIdentity(prefix: string): void {
  let pairs = headerPairs(REQUEST);
  let p = String.UTF8.encode(prefix);
  let prefixBytes = Uint8Array.wrap(p);
  for (let i = 0; i < pairs.length; i++) {
    let name = pairs.names[i];
    if (startsWithIgnoringCase(Uint8Array.wrap(name), prefixBytes)) removeHeaderBytes(REQUEST, name);
  }
}

function startsWithIgnoringCase(value: Uint8Array, prefix: Uint8Array): bool {
  if (value.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    let c = value[i];
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if (c != prefix[i]) return false;
  }
  return true;
}

// Envoy passes the plugin's root_id (plugin_root_id). The filter answers to its name, spelled with
// '-' or '_', and to the empty root_id, Envoy's default when the configuration names none.
registerRootContext((contextId: u32): RootContext => new TenancyRoot(contextId), "multi-tenancy");
registerRootContext((contextId: u32): RootContext => new TenancyRoot(contextId), "multi_tenancy");
registerRootContext((contextId: u32): RootContext => new TenancyRoot(contextId), "");
