using System.Text;
using ImageHub.Wasm.Tests.Robustness;
using ImageHub.Wasm.Wasi;

namespace ImageHub.Wasm.Tests.Wasi;

/// <summary>
/// WASI end to end: a C program (Guests/wasi_probe.c, built with clang-14, no libc) run
/// on our engine by <see cref="WasiCommand"/>, the way <c>scripts/wasm run</c> runs it.
/// </summary>
public class WasiProbeTests
{
    private const string Source = "tests/ImageHub.Wasm.Tests/Wasi/Guests/wasi_probe.c";
    private static readonly Lazy<IWasmModule> Probe = new(() => OurEngine.Create().Compile(GuestBuild.C(Source)));
    private static readonly Lazy<IWasmModule> UnstableProbe =
        new(() => OurEngine.Create().Compile(GuestBuild.C(Source, "-DWASI_MODULE=\"wasi_unstable\"")));

    private sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string[] Lines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static Result Run(IWasmModule module, string[] arguments, params KeyValuePair<string, string>[] environment)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var code = WasiCommand.Run(module, new WasiOptions
        {
            Arguments = ["wasi_probe.wasm", .. arguments],
            Environment = environment,
            Stdout = WasiOutput.ToStream(stdout),
            Stderr = WasiOutput.ToStream(stderr),
        });
        return new Result(code, Encoding.UTF8.GetString(stdout.ToArray()), Encoding.UTF8.GetString(stderr.ToArray()));
    }

    [Fact]
    public void Hello_prints_its_arguments_to_stdout_and_a_line_to_stderr()
    {
        var result = Run(Probe.Value, ["hello", "one", "two words", "Grüße"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("hello\none\ntwo words\nGrüße\n", result.Stdout);
        Assert.Equal("to stderr\n", result.Stderr);
    }

    [Fact]
    public void The_older_wasi_unstable_module_name_works_the_same()
    {
        Assert.All(UnstableProbe.Value.Imports, import => Assert.Equal(WasiModuleNames.Unstable, import.Module));
        var result = Run(UnstableProbe.Value, ["hello", "x"]);
        Assert.Equal("hello\nx\n", result.Stdout);
    }

    [Fact]
    public void Environment_variables_reach_the_guest()
    {
        KeyValuePair<string, string>[] environment = [new("A", "1"), new("GREETING", "hi there"), new("B", "")];
        Assert.Equal("hi there\n", Run(Probe.Value, ["env", "GREETING"], environment).Stdout);
        Assert.Equal("\n", Run(Probe.Value, ["env", "B"], environment).Stdout);
        Assert.Equal("(unset)\n", Run(Probe.Value, ["env", "HOME"], environment).Stdout);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(255)]
    public void Proc_exit_becomes_the_exit_code(int code)
    {
        Assert.Equal(code, Run(Probe.Value, ["exit", code.ToString()]).ExitCode);
    }

    [Fact]
    public void A_usage_error_of_the_guest_exits_64_with_a_message()
    {
        var result = Run(Probe.Value, []);
        Assert.Equal(64, result.ExitCode);
        Assert.Contains("usage", result.Stderr);
    }

    [Fact]
    public void Clocks_tell_the_time()
    {
        var result = Run(Probe.Value, ["clock"]);
        var seconds = long.Parse(result.Lines[0].Split(' ')[1]);
        Assert.InRange(seconds, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 5, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 5);
        Assert.Equal("monotonic forward", result.Lines[1]);
    }

    [Fact]
    public void Random_get_gives_different_bytes_each_time()
    {
        var lines = Run(Probe.Value, ["random"]).Lines;
        Assert.Equal(2, lines.Length);
        Assert.All(lines, line => Assert.Matches("^[0-9a-f]{32}$", line));
        Assert.NotEqual(lines[0], lines[1]);
    }

    [Fact]
    public void Bad_descriptors_and_pointers_get_errno_answers_not_traps()
    {
        var result = Run(Probe.Value, ["errno"]);
        Assert.Equal(0, result.ExitCode);
        var answers = result.Lines.Select(l => l.Split(' ')).ToDictionary(p => p[0], p => int.Parse(p[1]));
        Assert.Equal((int)WasiErrno.BadFileDescriptor, answers["fd_write_unknown_fd"]);
        Assert.Equal((int)WasiErrno.BadFileDescriptor, answers["fd_write_stdin"]);
        Assert.Equal((int)WasiErrno.Fault, answers["fd_write_bad_buffer"]);
        Assert.Equal((int)WasiErrno.Fault, answers["fd_write_bad_iovecs"]);
        Assert.Equal((int)WasiErrno.Fault, answers["fd_write_bad_result"]);
        Assert.Equal((int)WasiErrno.BadFileDescriptor, answers["fdstat_unknown_fd"]);
        Assert.Equal((int)WasiErrno.Fault, answers["args_sizes_bad_pointer"]);
        Assert.Equal((int)WasiErrno.Fault, answers["args_get_bad_pointer"]);
        Assert.Equal((int)WasiErrno.Invalid, answers["clock_unknown_id"]);
        Assert.Equal((int)WasiErrno.Fault, answers["random_bad_pointer"]);
        Assert.Equal((int)WasiErrno.NoSys, answers["path_unlink_file"]);
    }

    [Fact]
    public void A_trap_in_the_guest_is_a_trap_for_the_host()
    {
        var trap = Assert.Throws<WasmTrapException>(() => Run(Probe.Value, ["trap"]));
        Assert.Equal(TrapKind.Unreachable, trap.Kind);
    }

    [Fact]
    public void A_module_without_start_is_not_a_command()
    {
        var reactor = OurEngine.Create().Compile(GuestBuild.C("benchmarks/Engine/kernels/fib.c", "-Wl,--export-dynamic"));
        var error = Assert.Throws<WasmLinkException>(() => WasiCommand.Run(reactor, new WasiOptions()));
        Assert.Contains("_start", error.Message);
    }
}
