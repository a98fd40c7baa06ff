using System.Net.Sockets;
using System.Text;

namespace ImageHub.Deployment;

/// <summary>A redis-server on a loopback port, with its files in the deployment's data folder.</summary>
public static class RedisProcess
{
    public static bool IsInstalled => FindOnPath("redis-server") is not null;

    public static async Task<ChildProcess> StartAsync(int port, string dataDirectory, string logPath, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDirectory);
        // Append-only persistence, so plans survive a demo restart like they would in production.
        var process = ChildProcess.Start("redis", FindOnPath("redis-server")!,
            ["--port", port.ToString(), "--bind", "127.0.0.1", "--dir", dataDirectory, "--save", "", "--appendonly", "yes"],
            logPath);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await AnswersPingAsync(port, cancellationToken))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                var tail = process.LogTail();
                await process.DisposeAsync();
                throw new InvalidOperationException($"redis-server did not start on port {port}:\n{tail}");
            }
            await Task.Delay(100, cancellationToken);
        }
        return process;
    }

    private static async Task<bool> AnswersPingAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, cancellationToken);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), cancellationToken);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, cancellationToken);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG");
        }
        catch (SocketException) { return false; }
        catch (IOException) { return false; }
    }

    private static string? FindOnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Select(dir => Path.Combine(dir, command))
            .FirstOrDefault(File.Exists);
}
