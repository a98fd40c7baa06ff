using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ImageHub.Quota.Tests.Support;

/// <summary>
/// A real <c>redis-server</c> (the Debian package) on a free loopback port with its own temporary
/// directory, started for a test and removed afterwards. Missing redis-server is a failure with
/// instructions, never a skip: these tests are the proof that the Redis store works.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private readonly bool _persistent;
    private readonly string? _password;
    private Process? _process;

    private RedisServer(bool persistent, string? password)
    {
        _persistent = persistent;
        _password = password;
        Port = FreeLoopbackPort();
        Directory = Path.Combine(Path.GetTempPath(), "imagehub-quota-redis-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(Directory);
    }

    public int Port { get; }
    public string Directory { get; }
    /// <summary>
    /// With generous timeouts: test machines are shared and loaded, and only the outage tests
    /// (which append their own, later options win) are about timing.
    /// </summary>
    public string ConnectionString => $"127.0.0.1:{Port},timeoutMs=5000,connectTimeoutMs=5000" + (_password is null ? "" : $",password={_password}");

    /// <param name="persistent">append-only file fsynced on every write, so a killed server loses nothing.</param>
    public static RedisServer Start(bool persistent = false, string? password = null)
    {
        // A free port can be taken by another test between our probe and redis-server's bind:
        // then try another port rather than fail.
        for (var attempt = 1; ; attempt++)
        {
            var server = new RedisServer(persistent, password);
            try
            {
                server.Launch();
                return server;
            }
            catch (Exception ex)
            {
                server.Dispose(); // no process or temporary folder left behind
                if (ex is not RedisServerExitedException || attempt == 3) throw;
            }
        }
    }

    /// <summary>Kills the server at once (no shutdown save), as a crash or an outage would.</summary>
    public void Stop()
    {
        if (_process is null) return;
        try { _process.Kill(); } catch (InvalidOperationException) { }
        _process.WaitForExit(10_000);
        _process.Dispose();
        _process = null;
    }

    /// <summary>Starts the server again on the same port with the same directory.</summary>
    public void Restart()
    {
        Stop();
        Launch();
    }

    private void Launch()
    {
        var executable = FindOnPath("redis-server") ?? throw new InvalidOperationException(
            "redis-server was not found on PATH. The quota service's Redis tests run against a real Redis: " +
            "install the Debian package (sudo apt-get install redis-server); ./scripts/test installs it.");

        var arguments = new List<string>
        {
            "--port", Port.ToString(), "--bind", "127.0.0.1", "--dir", Directory, "--daemonize", "no",
            "--save", "", "--logfile", "redis.log",
            "--appendonly", _persistent ? "yes" : "no",
        };
        if (_persistent) arguments.AddRange(["--appendfsync", "always"]);
        if (_password is not null) arguments.AddRange(["--requirepass", _password]);

        var start = new ProcessStartInfo(executable) { UseShellExecute = false, WorkingDirectory = Directory };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        WaitUntilAnswering();
    }

    private void WaitUntilAnswering()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(15))
        {
            if (_process!.HasExited)
                throw new RedisServerExitedException($"redis-server on port {Port} exited with code {_process.ExitCode}: {Log()}");
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                var stream = client.GetStream();
                stream.Write("*1\r\n$4\r\nPING\r\n"u8);
                var buffer = new byte[64];
                var read = stream.Read(buffer);
                var answer = Encoding.ASCII.GetString(buffer, 0, read);
                if (answer.StartsWith("+PONG") || answer.StartsWith("-NOAUTH")) return;
            }
            catch (SocketException) { }
            Thread.Sleep(20);
        }
        throw new InvalidOperationException($"redis-server did not answer on port {Port} within 15 s: {Log()}");
    }

    private string Log()
    {
        var path = Path.Combine(Directory, "redis.log");
        return File.Exists(path) ? File.ReadAllText(path) : "(no log)";
    }

    private static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    public void Dispose()
    {
        Stop();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}

public sealed class RedisServerExitedException(string message) : Exception(message);

/// <summary>One non-persistent Redis per test class; tests keep apart by using fresh tenants.</summary>
public sealed class RedisServerFixture : IDisposable
{
    public RedisServer Server { get; } = RedisServer.Start();

    public void Dispose() => Server.Dispose();
}
