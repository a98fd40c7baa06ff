using System.Text;
using ImageHub.Wasm.Cli;
using ImageHub.Wasm.Tests.Robustness;

namespace ImageHub.Wasm.Tests.Wasi;

/// <summary><c>scripts/wasm</c>'s tool, run in-process on real modules with captured console streams.</summary>
public class WasmCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("imagehub-wasm-cli-").FullName;
    private readonly string _probe;
    private readonly string _fib;

    public WasmCliTests()
    {
        _probe = Path.Combine(_dir, "probe.wasm");
        File.WriteAllBytes(_probe, GuestBuild.C("tests/ImageHub.Wasm.Tests/Wasi/Guests/wasi_probe.c"));
        _fib = Path.Combine(_dir, "fib.wasm");
        File.WriteAllBytes(_fib, GuestBuild.C("benchmarks/Engine/kernels/fib.c", "-Wl,--export-dynamic"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed record Outcome(int ExitCode, string Stdout, string Stderr);

    private static Outcome Wasm(params string[] args)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var text = new StringWriter();
        var errors = new StringWriter();
        var console = new ToolConsole(text, errors, stdout, stderr, Stream.Null);
        var code = new WasmTool(OurEngine.Create(), console).Main(args);
        return new Outcome(code, Encoding.UTF8.GetString(stdout.ToArray()) + text, Encoding.UTF8.GetString(stderr.ToArray()) + errors);
    }

    [Fact]
    public void Run_passes_arguments_and_stdio_through()
    {
        var result = Wasm("run", _probe, "hello", "--not-an-option", "x y");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("hello\n--not-an-option\nx y\n", result.Stdout);
        Assert.Equal("to stderr\n", result.Stderr);
    }

    [Fact]
    public void Env_options_set_the_guest_environment()
    {
        Assert.Equal("v=1\n", Wasm("run", "--env", "K=v=1", _probe, "env", "K").Stdout);
    }

    [Fact]
    public void The_exit_code_is_the_guests()
    {
        Assert.Equal(7, Wasm("run", _probe, "exit", "7").ExitCode);
    }

    [Fact]
    public void A_trap_exits_134_and_names_the_trap()
    {
        var result = Wasm("run", _probe, "trap");
        Assert.Equal(WasmTool.TrapExitCode, result.ExitCode);
        Assert.Contains("wasm trap (unreachable)", result.Stderr);
    }

    [Fact]
    public void Invoke_calls_an_export_and_prints_its_result()
    {
        var result = Wasm("run", "--invoke", "fib", _fib, "20");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("6765\n", result.Stdout.Replace("\r\n", "\n"));
    }

    [Fact]
    public void Invoke_of_a_missing_export_lists_the_exports()
    {
        var result = Wasm("run", "--invoke", "fibonacci", _fib, "20");
        Assert.Equal(WasmTool.FailureExitCode, result.ExitCode);
        Assert.Contains("exports no function 'fibonacci'", result.Stderr);
        Assert.Contains("fib", result.Stderr);
    }

    [Theory]
    [InlineData("twenty")]
    [InlineData("1.5")]
    public void Invoke_with_a_bad_argument_says_which(string argument)
    {
        var result = Wasm("run", "--invoke", "fib", _fib, argument);
        Assert.Equal(WasmTool.FailureExitCode, result.ExitCode);
        Assert.Contains($"'{argument}' is not a valid i32", result.Stderr);
    }

    [Fact]
    public void Invoke_with_the_wrong_number_of_arguments_says_so()
    {
        var result = Wasm("run", "--invoke", "fib", _fib);
        Assert.Equal(WasmTool.FailureExitCode, result.ExitCode);
        Assert.Contains("takes 1 argument", result.Stderr);
    }

    [Fact]
    public void Fuel_stops_a_long_call_with_a_trap()
    {
        var result = Wasm("run", "--fuel", "1000", "--invoke", "fib", _fib, "40");
        Assert.Equal(WasmTool.TrapExitCode, result.ExitCode);
        Assert.Contains("out of fuel", result.Stderr);
    }

    [Fact]
    public void A_timeout_also_stops_a_start_function_that_never_returns()
    {
        var spinning = Path.Combine(_dir, "spinning-start.wasm");
        File.WriteAllBytes(spinning, Wat.ToWasm("(module (func $spin (loop (br 0))) (func (export \"f\")) (start $spin))"));
        var result = Wasm("run", "--timeout", "0.05", "--invoke", "f", spinning);
        Assert.Equal(WasmTool.TrapExitCode, result.ExitCode);
        Assert.Contains("deadline", result.Stderr);
    }

    [Fact]
    public void A_missing_file_is_a_clear_error()
    {
        var result = Wasm("run", Path.Combine(_dir, "nothing.wasm"));
        Assert.Equal(WasmTool.FailureExitCode, result.ExitCode);
        Assert.Contains("cannot read", result.Stderr);
    }

    [Fact]
    public void A_malformed_module_shows_the_engines_message()
    {
        var path = Path.Combine(_dir, "bad.wasm");
        File.WriteAllBytes(path, [0x00, 0x61, 0x73, 0x6D, 0x02, 0x00, 0x00, 0x00]);
        var result = Wasm("run", path);
        Assert.Equal(WasmTool.FailureExitCode, result.ExitCode);
        Assert.Contains("malformed module", result.Stderr);
    }

    [Fact]
    public void A_module_that_is_not_a_command_says_so()
    {
        var result = Wasm("run", _fib);
        Assert.Equal(WasmTool.FailureExitCode, result.ExitCode);
        Assert.Contains("_start", result.Stderr);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("run", "--env")]
    [InlineData("run", "--env", "NOEQUALS", "x.wasm")]
    [InlineData("run", "--bogus", "1", "x.wasm")]
    [InlineData("frobnicate")]
    public void Usage_errors_exit_2(params string[] args)
    {
        var result = Wasm(args);
        Assert.Equal(WasmTool.UsageExitCode, result.ExitCode);
        Assert.Contains("error:", result.Stderr);
    }

    [Fact]
    public void Inspect_lists_imports_and_exports()
    {
        var result = Wasm("inspect", _probe);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("import wasi_snapshot_preview1.fd_write (function (i32, i32, i32, i32) -> (i32))", result.Stdout);
        Assert.Contains("export _start (function () -> ())", result.Stdout);
    }
}
