using ImageHub.Wasm.Wasi;

namespace ImageHub.Wasm.Cli;

/// <summary>The <c>wasm</c> command: <c>run</c> and <c>inspect</c> on one engine, with the console as the guest's stdio.</summary>
internal sealed class WasmTool(IWasmEngine engine, ToolConsole console)
{
    public const int TrapExitCode = 134;   // what a shell shows for abort(), as wasmtime does
    public const int FailureExitCode = 1;
    public const int UsageExitCode = 2;

    public int Main(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0] is "-h" or "--help" or "help")
        {
            console.Out.WriteLine(CommandLine.Usage);
            return args.Count == 0 ? UsageExitCode : 0;
        }
        switch (args[0])
        {
            case "run":
                var (request, error) = CommandLine.ParseRun(args.Skip(1).ToArray());
                return request is null ? UsageError(error!) : Run(request);
            case "inspect" when args.Count == 2:
                return Inspect(args[1]);
            default:
                return UsageError($"unknown command '{string.Join(' ', args)}'");
        }
    }

    private int Run(RunRequest request)
    {
        var module = Load(request.ModulePath);
        if (module is null) return FailureExitCode;
        var options = new WasiOptions
        {
            Arguments = [request.ModulePath, .. request.Arguments],
            Environment = request.Environment,
            Stdout = WasiOutput.ToStream(console.StdoutStream),
            Stderr = WasiOutput.ToStream(console.StderrStream),
            Stdin = console.StdinStream,
        };
        // --fuel and --timeout hold for a start function too, so a module that spins while it is instantiated stops.
        var limits = new InstanceLimits { StartFuel = request.Fuel, StartDeadline = request.Timeout };
        if (request.MaxMemoryPages is { } pages) limits = limits with { MaxMemoryPages = pages };
        try
        {
            return request.Invoke is null
                ? WasiCommand.Run(module, options, limits, request.Fuel, request.Timeout)
                : new ExportInvocation(module, request, options, limits, console.Out).Run();
        }
        catch (WasmLinkException link)
        {
            console.Error.WriteLine($"error: cannot link {request.ModulePath}: {link.Message}");
            foreach (var import in link.Unresolved) console.Error.WriteLine($"  unresolved import {import}");
            return FailureExitCode;
        }
        catch (WasmTrapException trap) when (WasiExitException.Find(trap) is { } exit)
        {
            return exit.ExitCode;
        }
        catch (WasmTrapException trap)
        {
            console.Error.WriteLine($"error: wasm trap ({TrapName(trap.Kind)}): {trap.Message}");
            if (trap.InnerException is { } inner) console.Error.WriteLine($"  caused by {inner.GetType().Name}: {inner.Message}");
            return TrapExitCode;
        }
        catch (ExportInvocation.InvocationException invalid)
        {
            console.Error.WriteLine($"error: {invalid.Message}");
            return FailureExitCode;
        }
    }

    private int Inspect(string path)
    {
        var module = Load(path);
        if (module is null) return FailureExitCode;
        foreach (var import in module.Imports) console.Out.WriteLine($"import {import}");
        foreach (var export in module.Exports)
            console.Out.WriteLine($"export {export.Name} ({export.Kind.ToString().ToLowerInvariant()}{(export.Signature is null ? "" : " " + export.Signature)})");
        return 0;
    }

    private IWasmModule? Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            console.Error.WriteLine($"error: cannot read {path}: {e.Message}");
            return null;
        }
        try
        {
            return engine.Compile(bytes);
        }
        catch (WasmFormatException format)
        {
            console.Error.WriteLine($"error: {path}: {format.Message}");
            return null;
        }
    }

    private int UsageError(string message)
    {
        console.Error.WriteLine($"error: {message}");
        console.Error.WriteLine("run 'wasm --help' for usage");
        return UsageExitCode;
    }

    // OutOfBoundsMemory -> "out of bounds memory": the words the spec's trap messages use.
    private static string TrapName(TrapKind kind) =>
        string.Concat(kind.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}

/// <summary>The process's standard streams, as text for the tool's own messages and as bytes for the guest.</summary>
internal sealed record ToolConsole(TextWriter Out, TextWriter Error, Stream StdoutStream, Stream StderrStream, Stream StdinStream);
