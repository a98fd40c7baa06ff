using ImageHub.Wasm;
using ImageHub.Wasm.Cli;

var console = new ToolConsole(Console.Out, Console.Error,
    Console.OpenStandardOutput(), Console.OpenStandardError(), Console.OpenStandardInput());
return new WasmTool(new WasmEngine(), console).Main(args);
