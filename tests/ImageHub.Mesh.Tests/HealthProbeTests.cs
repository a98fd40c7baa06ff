using System.Net;
using System.Net.Sockets;
using System.Text;
using ImageHub.Mesh.Tests.Support;

namespace ImageHub.Mesh.Tests;

/// <summary>
/// infra/docker/http-ok, the health check of every image, run against a real socket that
/// answers like the apps and Envoy's admin do.
/// </summary>
public class HealthProbeTests
{
    [Theory]
    [InlineData("HTTP/1.1 200 OK", 0)]
    [InlineData("HTTP/1.0 200 OK", 0)]
    [InlineData("HTTP/1.1 503 Service Unavailable", 1)]
    [InlineData("HTTP/1.1 404 Not Found", 1)]
    [InlineData("garbage", 1)]
    public async Task Probe_passes_only_on_200(string statusLine, int expectedExit)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var served = Serve(listener, statusLine);

        var result = await Task.Run(() => ProcessRun.Run("bash", Repo.Root, Repo.Path("infra/docker/http-ok"), port.ToString(), "/healthz"));
        var request = await served;

        Assert.Equal(expectedExit, result.ExitCode);
        Assert.StartsWith("GET /healthz HTTP/1.0\r\n", request);
    }

    [Fact]
    public void Probe_fails_when_nothing_listens()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        Assert.NotEqual(0, ProcessRun.Run("bash", Repo.Root, Repo.Path("infra/docker/http-ok"), port.ToString(), "/ready").ExitCode);
    }

    [Theory]
    [InlineData("infra/docker/http-ok")]
    [InlineData("scripts/deploy")]
    public void Shell_script_parses(string script)
    {
        var result = ProcessRun.Run("bash", Repo.Root, "-n", Repo.Path(script));
        Assert.True(result.ExitCode == 0, $"{script}: {result.Output}");
    }

    [Fact]
    public void Deploy_without_a_command_prints_its_usage()
    {
        var result = ProcessRun.Run("bash", Repo.Root, Repo.Path("scripts/deploy"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("scripts/deploy compose", result.Output);
        Assert.Contains("scripts/deploy down", result.Output);
        Assert.Contains("scripts/deploy local", result.Output);
    }

    /// <summary>Accepts one connection, reads the request head, answers with the status line.</summary>
    private static async Task<string> Serve(TcpListener listener, string statusLine)
    {
        using var client = await listener.AcceptTcpClientAsync();
        var stream = client.GetStream();
        var buffer = new byte[4096];
        var request = new StringBuilder();
        while (!request.ToString().Contains("\r\n\r\n"))
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0) break;
            request.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        var response = Encoding.ASCII.GetBytes($"{statusLine}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(response);
        return request.ToString();
    }
}
