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
// Only the stream callbacks this filter uses: the host (Envoy too) skips a callback the module
// does not export, and each call into the VM costs more than the nothing the filter would do there.
// proxy_on_delete stays: it forgets the stream.
export {
  proxy_on_context_create, proxy_on_delete, proxy_on_request_headers, proxy_on_response_headers,
} from "../../shared/streams";
import { trackStream, Stream } from "../../shared/streams";
import "../../shared/abort";
import { RootContext, Context, registerRootContext, FilterHeadersStatusValues } from "@solo-io/proxy-runtime";
import { HeaderMapTypeValues } from "@solo-io/proxy-runtime/runtime";
import {
  HeaderList, replaceHeader, replaceHeaderBytes, removeHeaderAt, sendJsonReply,
  pluginConfiguration, defineMetric, incrementMetric, MetricKind, logError, logInfo,
} from "../../shared/host";
import { HeaderPairs, readHeaderPairs, startsWith, startsWithIgnoringCase } from "../../shared/host-bytes";
import { TenancyConfig, Tenant, parseTenancyConfig } from "./config";
import { tenantByAuthority, tenantById, tenantFromPath, PathTenant } from "./resolve";

const REQUEST = HeaderMapTypeValues.RequestHeaders;
const RESPONSE = HeaderMapTypeValues.ResponseHeaders;
const AUTHORITY = String.UTF8.encode(":authority");
const PATH = String.UTF8.encode(":path");

/** The request's header pairs, read in place (one view for every request: calls never overlap). */
const requestPairs = new HeaderPairs();

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
  tenant: Tenant | null = null;
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

    // One read of the request's headers serves both jobs: the identity headers to strip and
    // the :path and :authority that name the tenant (three hostcalls and their copies before).
    readHeaderPairs(REQUEST, requestPairs);
    stripClientIdentity(requestPairs, config.stripHeaderPrefixBytes);
    let tenant = resolveTenant(requestPairs, config);
    requestPairs.release();

    if (tenant === null) {
      incrementMetric(root.rejectionMetric, 1);
      sendJsonReply(404, "imagehub_unknown_tenant", "{\"error\":\"unknown_tenant\"}", new HeaderList());
      return FilterHeadersStatusValues.StopIteration;
    }

    this.tenant = tenant;
    root.countRequest(tenant);
    replaceHeaderBytes(REQUEST, config.tenantHeaderBytes, tenant.idBytes);
    return FilterHeadersStatusValues.Continue;
  }

  onResponseHeaders(headerCount: u32, endOfStream: bool): FilterHeadersStatusValues {
    let tenant = this.tenant;
    if (tenant !== null) {
      let root = this.root;
      replaceHeaderBytes(RESPONSE, root.config!.tenantHeaderBytes, tenant.idBytes);
    }
    return FilterHeadersStatusValues.Continue;
  }
}

/** Removes every request header whose name starts with `prefix` (lower case; names compared without case). */
function stripClientIdentity(pairs: HeaderPairs, prefix: ArrayBuffer): void {
  pairs.rewind();
  while (pairs.next()) {
    // The name is removed by pointing the host at it inside the pairs: no copy of it is needed.
    if (startsWithIgnoringCase(pairs.name, pairs.nameLength, prefix)) removeHeaderAt(REQUEST, pairs.name, pairs.nameLength);
  }
}

/** The tenant the path prefix names (when configured and present; the path is then rewritten), else the :authority's. */
function resolveTenant(pairs: HeaderPairs, config: TenancyConfig): Tenant | null {
  if (config.pathPrefix.length > 0 && pairs.find(PATH) && startsWith(pairs.value, pairs.valueLength, config.pathPrefixBytes)) {
    // Path mode is the rarer case, and the path is rewritten anyway: strings are fine here.
    let fromPath = tenantFromPath(config.pathPrefix, String.UTF8.decodeUnsafe(pairs.value, pairs.valueLength));
    if (fromPath !== null) {
      let tenant = tenantById(config, fromPath.id);
      if (tenant !== null) replaceHeader(REQUEST, ":path", fromPath.upstreamPath);
      return tenant;
    }
  }
  if (pairs.find(AUTHORITY)) return tenantByAuthority(config, pairs.value, pairs.valueLength);
  return null;
}

// Envoy passes the plugin's root_id (plugin_root_id). The filter answers to its name, spelled with
// '-' or '_', and to the empty root_id, Envoy's default when the configuration names none.
registerRootContext((contextId: u32): RootContext => new TenancyRoot(contextId), "multi-tenancy");
registerRootContext((contextId: u32): RootContext => new TenancyRoot(contextId), "multi_tenancy");
registerRootContext((contextId: u32): RootContext => new TenancyRoot(contextId), "");
