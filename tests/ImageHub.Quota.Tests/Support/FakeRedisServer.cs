using System.Net;
using System.Net.Sockets;

namespace ImageHub.Quota.Tests.Support;

/// <summary>
/// A loopback TCP server that plays back fixed bytes, for the network conditions a real Redis
/// will not produce on demand: replies cut into single bytes, garbage, silence.
/// </summary>
public sealed class FakeRedisServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();

    /// <param name="answer">Called with each command's raw bytes as they arrive; writes whatever it likes.</param>
    public FakeRedisServer(Func<NetworkStream, byte[], Task> answer)
    {
        _listener.Start();
        _ = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
                catch (Exception) { return; }
                _ = Task.Run(async () =>
                {
                    using var _ = client;
                    var stream = client.GetStream();
                    var buffer = new byte[4096];
                    try
                    {
                        while (true)
                        {
                            var read = await stream.ReadAsync(buffer, _stop.Token);
                            if (read == 0) return;
                            await answer(stream, buffer[..read]);
                        }
                    }
                    catch (Exception) { }
                });
            }
        });
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public string ConnectionString => $"127.0.0.1:{Port}";

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }
}
