using ImageHub.Sidecar.Upstream;

namespace ImageHub.Sidecar.Proxy.Steps;

/// <summary>
/// The router's first half: picks the route for :authority and :path (after the filters, which
/// may have changed them), answers no-route with 404 and direct_response routes itself,
/// and applies prefix_rewrite.
/// </summary>
public sealed class RouteStep(ClusterManager clusters) : IProxyStep
{
    public ValueTask InvokeAsync(ProxyContext context, ProxyStepDelegate next)
    {
        var listener = context.Listener;
        var route = listener.Routes.Select(context.Authority, context.Path);
        if (route is null)
        {
            listener.NoRoute.Increment();
            context.Response = ProxyResponse.Local(404, null, "route_not_found");
            return ValueTask.CompletedTask;
        }
        context.Route = route;
        if (route.Config.DirectResponse is { } direct)
        {
            listener.DirectResponses.Increment();
            context.Response = ProxyResponse.Local(direct.Status, direct.Body, "direct_response");
            return ValueTask.CompletedTask;
        }
        var action = route.Config.Route!;
        // The bootstrap reader checked that every routed cluster exists.
        context.Cluster = clusters.Find(action.Cluster);
        if (action.PrefixRewrite is not null)
            context.RequestHeaders.Set(":path", route.RewritePath(context.Path));
        return next(context);
    }
}
