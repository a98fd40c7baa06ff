// The host's conformance filter: one root context per hostcall family, picked by root id.
export * from "@solo-io/proxy-runtime/proxy";
import { RootContext, registerRootContext } from "@solo-io/proxy-runtime";
import { LifecycleRoot } from "./lifecycle";
import { HeadersRoot } from "./headers";
import { LocalReplyRoot } from "./localreply";
import { CalloutRoot } from "./callout";
import { TimerRoot } from "./timer";
import { SharedRoot } from "./shared";
import { QueueRoot } from "./queue";
import { MetricsRoot } from "./metrics";
import { PropertiesRoot } from "./properties";
import { BodyRoot } from "./body";
import { FailureRoot } from "./failure";
import { StatusesRoot } from "./statuses";

registerRootContext((id: u32): RootContext => new LifecycleRoot(id), "lifecycle");
registerRootContext((id: u32): RootContext => new HeadersRoot(id), "headers");
registerRootContext((id: u32): RootContext => new LocalReplyRoot(id), "local-reply");
registerRootContext((id: u32): RootContext => new CalloutRoot(id), "callout");
registerRootContext((id: u32): RootContext => new TimerRoot(id), "timer");
registerRootContext((id: u32): RootContext => new SharedRoot(id), "shared");
registerRootContext((id: u32): RootContext => new QueueRoot(id), "queue");
registerRootContext((id: u32): RootContext => new MetricsRoot(id), "metrics");
registerRootContext((id: u32): RootContext => new PropertiesRoot(id), "properties");
registerRootContext((id: u32): RootContext => new BodyRoot(id), "body");
registerRootContext((id: u32): RootContext => new FailureRoot(id), "failure");
registerRootContext((id: u32): RootContext => new StatusesRoot(id), "statuses");
