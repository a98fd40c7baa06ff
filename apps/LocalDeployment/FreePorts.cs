using System.Net;
using System.Net.Sockets;

namespace ImageHub.Deployment;

/// <summary>Picks loopback ports that nothing listens on, so several deployments can run side by side.</summary>
public static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The requested port, or a free one when it is 0.</summary>
    public static int OrFree(int requested) => requested == 0 ? Next() : requested;
}
