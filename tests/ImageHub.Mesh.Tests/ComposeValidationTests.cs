using ImageHub.Mesh.Tests.Support;

namespace ImageHub.Mesh.Tests;

/// <summary>docker-compose's own validation of the compose file (no Docker engine needed for "config").</summary>
public class ComposeValidationTests
{
    [Fact]
    public void Compose_file_passes_docker_compose_config()
    {
        var result = ComposeConfig(Repo.ComposeFile);
        Assert.True(result.ExitCode == 0, $"docker-compose config -q rejected docker-compose.yml:\n{result.Output}");
    }

    [Fact]
    public void Docker_compose_config_rejects_a_broken_file()
    {
        // Proves the check above can fail: same tool, a file with an unknown service key.
        var folder = Directory.CreateTempSubdirectory("mesh-compose-");
        try
        {
            var broken = Path.Combine(folder.FullName, "docker-compose.yml");
            File.WriteAllText(broken, "services:\n  app:\n    image: redis:7.4.2-alpine\n    healthchek: {}\n");
            var result = ComposeConfig(broken);
            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("healthchek", result.Output);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static ProcessResult ComposeConfig(string composeFile)
    {
        var tool = ProcessRun.FindOnPath("docker-compose")
            ?? throw new InvalidOperationException(
                "docker-compose is not installed, so the compose file cannot be validated: " +
                "apt-get install docker-compose (./scripts/test installs it)");
        return ProcessRun.Run(tool, Path.GetDirectoryName(composeFile)!, "-f", composeFile, "config", "-q");
    }
}
