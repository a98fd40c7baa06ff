namespace ImageHub.Walkthrough.Tests;

/// <summary>The marker reader: what it accepts, and the clear errors for markers it cannot act on.</summary>
public sealed class WalkthroughDocumentTests
{
    [Fact]
    public void Reads_run_file_and_start_steps_in_order()
    {
        var steps = WalkthroughDocument.Steps("""
            Intro.

            <!-- walkthrough: run -->
            ```sh
            echo one
            ```

            <!-- walkthrough: run, expect "x-a: \"b\"" -->
            ```sh
            curl -sD - http://127.0.0.1:10000/
            ```

            <!-- walkthrough: file filters/x/a.ts -->
            ```ts
            let a = 1;
              let b = 2;
            ```

            <!-- walkthrough: start, ready "sidecar ready" -->
            ```sh
            run-forever
            ```

            <!-- walkthrough: run, expect "x-a:", absent "x-b:" -->
            ```sh
            curl -sD - http://127.0.0.1:8080/
            ```

            <!-- walkthrough: demo -->
            ```sh
            ./scripts/demo
            ```

            ```sh
            not marked, not run
            ```
            """);

        Assert.Collection(steps,
            s => Assert.Equal((StepKind.Run, "echo one\n", (string?)null), (s.Kind, s.Body, s.Expect)),
            s => Assert.Equal((StepKind.Run, "x-a: \"b\""), (s.Kind, s.Expect)),
            s => Assert.Equal((StepKind.File, "filters/x/a.ts", "let a = 1;\n  let b = 2;\n"), (s.Kind, s.Path, s.Body)),
            s => Assert.Equal((StepKind.Start, "sidecar ready", "run-forever\n"), (s.Kind, s.Ready, s.Body)),
            s => Assert.Equal((StepKind.Run, "x-a:", "x-b:"), (s.Kind, s.Expect, s.Absent)),
            s => Assert.Equal((StepKind.Demo, "./scripts/demo\n"), (s.Kind, s.Body)));
    }

    [Fact]
    public void Indented_blocks_lose_their_indent()
    {
        var step = Assert.Single(WalkthroughDocument.Steps("<!-- walkthrough: run -->\n   ```sh\n   echo hi\n   ```\n"));
        Assert.Equal("echo hi\n", step.Body);
    }

    [Theory]
    [InlineData("<!-- walkthrough: jump -->\n```sh\nx\n```\n", "unknown walkthrough marker")]
    [InlineData("<!-- walkthrough: run, expect -->\n```sh\nx\n```\n", "unknown walkthrough marker")]
    [InlineData("<!-- walkthrough: run, expcet \"x\" -->\n```sh\nx\n```\n", "unknown walkthrough marker")]
    [InlineData("<!-- walkthrough: run, expect \"x\" absnet -->\n```sh\nx\n```\n", "unknown walkthrough marker")]
    [InlineData("<!-- walkthrough: demo, ready \"x\" -->\n```sh\nx\n```\n", "unknown walkthrough marker")]
    [InlineData("<!-- walkthrough: file /etc/passwd -->\n```sh\nx\n```\n", "unknown walkthrough marker")]
    [InlineData("<!-- walkthrough: file ../outside.ts -->\n```sh\nx\n```\n", "unknown walkthrough marker")]
    [InlineData("<!-- walkthrough: run -->\nSome prose.\n```sh\nx\n```\n", "must be followed by a fenced block")]
    [InlineData("<!-- walkthrough: run -->\n```sh\nx\n", "not closed")]
    public void Markers_it_cannot_act_on_are_errors_that_name_the_line(string markdown, string message)
    {
        var error = Assert.Throws<FormatException>(() => WalkthroughDocument.Steps(markdown));
        Assert.Contains(message, error.Message);
        Assert.StartsWith("line 1:", error.Message);
    }

    [Fact]
    public void Reads_line_links_with_the_name_they_promise()
    {
        var link = Assert.Single(WalkthroughDocument.SourceLinks(
            "See [`onRequestHeaders`](multi-tenancy/assembly/index.ts#L82-L115) and [plain](x.ts#L1-L2)."));
        Assert.Equal(new SourceLink("onRequestHeaders", "multi-tenancy/assembly/index.ts", 82, 115, 1), link);
    }
}
