// rate-limit: counts each signed-in user's requests to the counted paths against their plan,
// asking the quota service for every decision. See ../README.md for the configuration and the
// header contract.

// The Proxy-Wasm entry points: the SDK's for the VM and the root context, ours for the streams
// (see ../../shared/streams.ts for why), and our proxy_on_http_call_response (below), because the SDK
// looks a callout up in the root context while Envoy answers on the context that made it.
export { malloc, free } from "@solo-io/proxy-runtime/malloc";
export {
  proxy_abi_version_0_2_0, proxy_on_vm_start, proxy_validate_configuration, proxy_on_configure,
  proxy_on_tick, proxy_on_foreign_function, proxy_on_queue_ready,
  proxy_on_grpc_receive_initial_metadata, proxy_on_grpc_trailing_metadata, proxy_on_grpc_receive,
  proxy_on_grpc_close,
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
  HeaderList, headerText, replaceHeader, sendJsonReply, httpCall, continueRequest,
  setEffectiveContext, pluginConfiguration, calloutResponseBody, nowMilliseconds,
  defineMetric, incrementMetric, recordMetric, MetricKind, logError, logInfo, logWarn, logDebug,
} from "../../shared/host";
import { HostBytes, HeaderPairs, readHeaderValue, readHeaderPairs } from "../../shared/host-bytes";
import { verifySessionToken } from "../../shared/session-token";
import { RateLimitConfig, FailureMode, parseRateLimitConfig } from "./config";
import { PathPattern, pathMatchesAny, matchesAny } from "./counted-paths";
import { findCredentials } from "./credentials";
import { consumeRequestBody, parseQuotaAnswer, QuotaAnswer, MAX_ANSWER_BYTES } from "./quota-answer";
import { activeOverLimit, rememberOverLimit } from "./over-limit";

const REQUEST = HeaderMapTypeValues.RequestHeaders;
const RESPONSE = HeaderMapTypeValues.ResponseHeaders;
const CALLOUT_RESPONSE = HeaderMapTypeValues.HttpCallResponseHeaders;
const PATH = String.UTF8.encode(":path");
const METHOD = String.UTF8.encode(":method");

/** The request's :path and :method, read in place (one view each for every request: calls never overlap). */
const requestPath = new HostBytes();
const requestMethod = new HostBytes();
/** A counted request's header pairs, where its credentials are looked for. */
const requestPairs = new HeaderPairs();

/**
 * Whether the request is one the filter counts. Why the path first: most requests are decided
 * by their path alone, so they cost one header read and no string at all.
 */
function isCounted(patterns: Array<PathPattern>): bool {
  if (!readHeaderValue(REQUEST, PATH, requestPath)) return false;
  let counted = false;
  if (pathMatchesAny(patterns, requestPath.pointer, requestPath.length) && readHeaderValue(REQUEST, METHOD, requestMethod)) {
    counted = matchesAny(patterns, requestMethod.pointer, requestMethod.length, requestPath.pointer, requestPath.length);
    requestMethod.release();
  }
  requestPath.release();
  return counted;
}

class RateLimitMetrics {
  allowed: i64 = -1;
  denied: i64 = -1;
  deniedFromCache: i64 = -1;
  degraded: i64 = -1;
  unavailable: i64 = -1;
  unauthenticated: i64 = -1;
  forbidden: i64 = -1;
  calloutMilliseconds: i64 = -1;

  define(): void {
    this.allowed = defineMetric(MetricKind.Counter, "ratelimit.allowed");
    this.denied = defineMetric(MetricKind.Counter, "ratelimit.denied");
    this.deniedFromCache = defineMetric(MetricKind.Counter, "ratelimit.denied_without_callout");
    this.degraded = defineMetric(MetricKind.Counter, "ratelimit.degraded");
    this.unavailable = defineMetric(MetricKind.Counter, "ratelimit.quota_unavailable");
    this.unauthenticated = defineMetric(MetricKind.Counter, "ratelimit.unauthenticated");
    this.forbidden = defineMetric(MetricKind.Counter, "ratelimit.forbidden");
    this.calloutMilliseconds = defineMetric(MetricKind.Histogram, "ratelimit.quota_callout_ms");
  }
}

class RateLimitRoot extends RootContext {
  config: RateLimitConfig | null = null;
  metrics: RateLimitMetrics = new RateLimitMetrics();

  onConfigure(configurationSize: u32): bool {
    let result = parseRateLimitConfig(pluginConfiguration(configurationSize));
    let config = result.config;
    if (config === null) {
      logError("rate-limit: invalid plugin configuration: " + result.error);
      return false;
    }
    if (this.config === null) this.metrics.define();
    this.config = config;
    let mode = "closed";
    if (config.failureMode == FailureMode.Open) mode = "open";
    logInfo("rate-limit: configured; quota cluster " + config.quotaCluster + ", timeout " +
      config.quotaTimeoutMs.toString() + " ms, failure mode " + mode);
    return true;
  }

  createContext(contextId: u32): Context {
    let stream = new RateLimitStream(contextId, this);
    trackStream(stream);
    return stream;
  }
}

const enum Outcome { None, Allowed, Degraded, Replied }

/** Streams waiting for the quota service, by callout token. */
const waiting = new Map<u32, RateLimitStream>();

class RateLimitStream extends Stream {
  outcome: Outcome = Outcome.None;
  answer: QuotaAnswer | null = null;
  calloutToken: i64 = -1;
  calloutStartedMs: i64 = 0;
  tenant: string = "";
  user: string = "";
  plan: string = "";

  /** The typed root (a field, not a cast of root_context: casts confuse AS 0.14's reference counting). */
  root: RateLimitRoot;

  constructor(contextId: u32, root: RateLimitRoot) {
    super(contextId, root);
    this.root = root;
  }

  onRequestHeaders(headerCount: u32, endOfStream: bool): FilterHeadersStatusValues {
    let root = this.root;
    let config = root.config;
    if (config === null) {
      return this.reply(503, "imagehub_ratelimit_not_configured", "{\"error\":\"filter_not_configured\"}", new HeaderList());
    }
    if (!isCounted(config.countedPaths)) {
      return FilterHeadersStatusValues.Continue; // not counted: untouched
    }

    readHeaderPairs(REQUEST, requestPairs);
    let credentials = findCredentials(requestPairs, config.cookieNameBytes);
    requestPairs.release();
    let token = credentials.token;
    if (token === null) {
      incrementMetric(root.metrics.unauthenticated, 1);
      let challenge = credentials.oversized ? "Bearer realm=\"imagehub\", error=\"invalid_token\"" : "Bearer realm=\"imagehub\"";
      return this.reply(401, "imagehub_ratelimit_no_token", "{\"error\":\"unauthorized\"}",
        new HeaderList().add("www-authenticate", challenge));
    }
    let nowMs = nowMilliseconds();
    let check = verifySessionToken(token, config.signingKey, nowMs / 1000);
    let claims = check.claims;
    if (claims === null) {
      logDebug("rate-limit: token refused: " + check.error);
      incrementMetric(root.metrics.unauthenticated, 1);
      return this.reply(401, "imagehub_ratelimit_invalid_token", "{\"error\":\"unauthorized\"}",
        new HeaderList().add("www-authenticate", "Bearer realm=\"imagehub\", error=\"invalid_token\""));
    }

    let tenantHeader = headerText(REQUEST, config.tenantHeader);
    if (tenantHeader === null || tenantHeader != claims.tenant) {
      incrementMetric(root.metrics.forbidden, 1);
      return this.reply(403, "imagehub_ratelimit_wrong_tenant", "{\"error\":\"wrong_tenant\"}", new HeaderList());
    }
    this.tenant = claims.tenant;
    this.user = claims.user;
    this.plan = claims.plan;

    let over = activeOverLimit(this.tenant, this.user, this.plan, nowMs);
    if (over !== null) {
      incrementMetric(root.metrics.denied, 1);
      incrementMetric(root.metrics.deniedFromCache, 1);
      let seconds = (over.deadlineMs - nowMs + 999) / 1000;
      return this.tooManyRequests(over.limit, seconds < 1 ? 1 : seconds);
    }

    let calloutHeaders = new HeaderList()
      .add(":method", "POST")
      .add(":path", "/v1/quota/consume")
      .add(":authority", config.quotaAuthority)
      .add("content-type", "application/json");
    let body = String.UTF8.encode(consumeRequestBody(this.tenant, this.user, 1));
    let callout = httpCall(config.quotaCluster, calloutHeaders, body, config.quotaTimeoutMs);
    if (callout < 0) {
      logWarn("rate-limit: the host refused the callout to cluster " + config.quotaCluster);
      return this.quotaUnavailable(false);
    }
    this.calloutToken = callout;
    this.calloutStartedMs = nowMs;
    waiting.set(<u32>callout, this);
    return FilterHeadersStatusValues.StopIteration;
  }

  /** The quota service answered, failed or timed out (then `headerCount` is 0). */
  onQuotaAnswer(headerCount: u32, bodySize: u32): void {
    let root = this.root;
    this.calloutToken = -1;
    let nowMs = nowMilliseconds();
    recordMetric(root.metrics.calloutMilliseconds, <u64>(nowMs > this.calloutStartedMs ? nowMs - this.calloutStartedMs : 0));

    let answer: QuotaAnswer | null = null;
    if (headerCount == 0) {
      logWarn("rate-limit: no answer from the quota service (timeout or connection failure)");
    } else {
      let status = headerText(CALLOUT_RESPONSE, ":status");
      if (status === null || status != "200") {
        if (status === null) logWarn("rate-limit: the quota service answered without a status");
        else logWarn("rate-limit: the quota service answered " + status);
      } else {
        answer = parseQuotaAnswer(calloutResponseBody(bodySize, MAX_ANSWER_BYTES));
        if (answer === null) logWarn("rate-limit: the quota service's answer is not the documented JSON");
      }
    }
    if (answer === null) {
      this.quotaUnavailable(true);
      return;
    }

    if (answer.allowed) {
      incrementMetric(root.metrics.allowed, 1);
      this.answer = answer;
      this.outcome = Outcome.Allowed;
      continueRequest();
      return;
    }
    incrementMetric(root.metrics.denied, 1);
    let seconds = answer.resetSeconds < 1 ? 1 : answer.resetSeconds;
    rememberOverLimit(this.tenant, this.user, this.plan, nowMs + seconds * 1000, answer.limit);
    this.tooManyRequests(answer.limit, seconds);
  }

  /** Failure mode: open lets the request through marked degraded, closed answers 503. */
  quotaUnavailable(resumeStream: bool): FilterHeadersStatusValues {
    let config = this.root.config!;
    if (config.failureMode == FailureMode.Open) {
      incrementMetric(this.root.metrics.degraded, 1);
      this.outcome = Outcome.Degraded;
      if (resumeStream) continueRequest();
      return FilterHeadersStatusValues.Continue;
    }
    incrementMetric(this.root.metrics.unavailable, 1);
    return this.reply(503, "imagehub_ratelimit_quota_unavailable", "{\"error\":\"quota_unavailable\"}", new HeaderList());
  }

  tooManyRequests(limit: i64, seconds: i64): FilterHeadersStatusValues {
    let headers = new HeaderList()
      .add("retry-after", seconds.toString())
      .add("x-ratelimit-limit", limit.toString())
      .add("x-ratelimit-remaining", "0")
      .add("x-ratelimit-reset", seconds.toString());
    let body = "{\"error\":\"rate_limited\",\"limit\":" + limit.toString() + ",\"remaining\":0,\"resetSeconds\":" + seconds.toString() + "}";
    return this.reply(429, "imagehub_ratelimit_over_limit", body, headers);
  }

  reply(status: u32, details: string, json: string, headers: HeaderList): FilterHeadersStatusValues {
    this.outcome = Outcome.Replied;
    sendJsonReply(status, details, json, headers);
    return FilterHeadersStatusValues.StopIteration;
  }

  onResponseHeaders(headerCount: u32, endOfStream: bool): FilterHeadersStatusValues {
    let answer = this.answer;
    if (this.outcome == Outcome.Allowed && answer !== null) {
      replaceHeader(RESPONSE, "x-ratelimit-limit", answer.limit.toString());
      replaceHeader(RESPONSE, "x-ratelimit-remaining", answer.remaining.toString());
      replaceHeader(RESPONSE, "x-ratelimit-reset", answer.resetSeconds.toString());
    } else if (this.outcome == Outcome.Degraded) {
      replaceHeader(RESPONSE, "x-ratelimit-status", "degraded");
    }
    return FilterHeadersStatusValues.Continue;
  }

  onDelete(): void {
    // The stream ended before the quota service answered (client went away): forget the callout.
    if (this.calloutToken >= 0) {
      waiting.delete(<u32>this.calloutToken);
      this.calloutToken = -1;
    }
  }
}

export function proxy_on_http_call_response(contextId: u32, token: u32, headers: u32, bodySize: u32, trailers: u32): void {
  if (!waiting.has(token)) {
    logWarn("rate-limit: answer for unknown callout " + token.toString() + " on context " + contextId.toString());
    return;
  }
  let stream = waiting.get(token);
  waiting.delete(token);
  // Envoy already answers on the stream's context; a host that answers on the root context
  // needs this to point header and reply calls at the stream.
  setEffectiveContext(stream.context_id);
  stream.onQuotaAnswer(headers, bodySize);
}

// Envoy passes the plugin's root_id (plugin_root_id). The filter answers to its name, spelled with
// '-' or '_', and to the empty root_id, Envoy's default when the configuration names none.
registerRootContext((contextId: u32): RootContext => new RateLimitRoot(contextId), "rate-limit");
registerRootContext((contextId: u32): RootContext => new RateLimitRoot(contextId), "rate_limit");
registerRootContext((contextId: u32): RootContext => new RateLimitRoot(contextId), "");
