using ImageHub.Wasm.Compilation;
using ImageHub.Wasm.Runtime;

namespace ImageHub.Wasm;

/// <summary>
/// Our WebAssembly engine: decodes and validates a binary module, compiles each
/// function to IL (the JIT turns it into machine code) and instantiates it many
/// times over the shared code. See the README next to this file.
/// </summary>
public sealed class WasmEngine : IWasmEngine
{
    public IWasmModule Compile(ReadOnlyMemory<byte> bytes) => new CompiledModule(bytes);

    /// <summary>A memory a host can offer as an import (e.g. the spec tests' <c>spectest.memory</c>).</summary>
    public static IWasmMemory CreateMemory(int initialPages, int? maximumPages = null) =>
        new MemoryInstance(initialPages, (uint?)maximumPages);

    /// <summary>A table a host can offer as an import.</summary>
    public static IWasmTable CreateTable(WasmValueType elementType, int initialSize, int? maximumSize = null) =>
        new TableInstance(elementType, initialSize, (uint?)maximumSize);

    /// <summary>A global a host can offer as an import.</summary>
    public static IWasmGlobal CreateGlobal(WasmValueType type, bool mutable, object? value) =>
        new GlobalCell(type, mutable) { Value = value };
}
