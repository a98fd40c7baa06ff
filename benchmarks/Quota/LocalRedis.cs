using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ImageHub.Quota.Bench;

/// <summary>A throw-away redis-server on a free loopback port, no persistence, removed at the end.</summary>
internal sealed class LocalRedis : IDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    public LocalRedis()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        _directory = Directory.CreateTempSubdirectory("imagehub-quota-bench-").FullName;

        var start = new ProcessStartInfo("redis-server") { UseShellExecute = false };
        foreach (var a in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--dir", _directory, "--save", "",
                     "--appendonly", "no", "--daemonize", "no", "--logfile", "redis.log" })
            start.ArgumentList.Add(a);
        try
        {
            _process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("redis-server is needed for the benchmark (sudo apt-get install redis-server).", ex);
        }

        for (var attempt = 0; attempt < 300; attempt++)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(20);
            }
        }
        throw new InvalidOperationException($"redis-server did not start on port {Port}.");
    }

    public int Port { get; }
    public int ProcessId => _process.Id;
    public string ConnectionString => $"127.0.0.1:{Port}";

    public void Dispose()
    {
        try { _process.Kill(); _process.WaitForExit(5000); } catch (InvalidOperationException) { }
        _process.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
