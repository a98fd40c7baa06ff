using System.Buffers.Binary;
using System.Text;

namespace ImageHub.Wasm.Tests.Wasi;

/// <summary>
/// A linear memory backed by an array, for calling WASI host functions directly
/// without compiling a module. The end-to-end WASI tests run real modules on the engine.
/// </summary>
internal sealed class ArrayMemory(int bytes) : IWasmMemory
{
    private readonly byte[] _bytes = new byte[bytes];

    public int PageCount => _bytes.Length / 65536;
    public int MaxPageCount => PageCount;
    public int Grow(int deltaPages) => -1;
    public Span<byte> Span => _bytes;

    public Span<byte> Slice(uint address, uint length) =>
        address + (ulong)length <= (ulong)_bytes.Length
            ? _bytes.AsSpan((int)address, (int)length)
            : throw new WasmTrapException(TrapKind.OutOfBoundsMemory, "out of bounds");

    public string ReadUtf8(uint address, uint length) => Encoding.UTF8.GetString(Slice(address, length));
    public uint ReadUInt32(uint address) => BinaryPrimitives.ReadUInt32LittleEndian(Slice(address, 4));
    public ulong ReadUInt64(uint address) => BinaryPrimitives.ReadUInt64LittleEndian(Slice(address, 8));
    public void WriteUInt32(uint address, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Slice(address, 4), value);
    public void Write(uint address, ReadOnlySpan<byte> bytes) => bytes.CopyTo(Slice(address, (uint)bytes.Length));
}

/// <summary>An instance that only has a memory: what a host function sees through <see cref="WasmCaller"/>.</summary>
internal sealed class MemoryOnlyInstance(IWasmMemory memory) : IWasmInstance
{
    public IWasmModule Module => throw new NotSupportedException();
    public TDelegate? GetFunction<TDelegate>(string name) where TDelegate : Delegate => null;
    public IWasmFunction? GetFunction(string name) => null;
    public IWasmMemory? GetMemory(string name = "memory") => name == "memory" ? memory : null;
    public IWasmGlobal? GetGlobal(string name) => null;
    public IWasmTable? GetTable(string name) => null;
    public void SetBudget(long? fuel, TimeSpan? deadline) { }
}

/// <summary>A module that only declares imports, for the ENOSYS stub tests.</summary>
internal sealed class ImportsOnlyModule(params ImportDescriptor[] imports) : IWasmModule
{
    public IReadOnlyList<ImportDescriptor> Imports { get; } = imports;
    public IReadOnlyList<ExportDescriptor> Exports { get; } = [];
    public IWasmInstance Instantiate(WasmImports imports, InstanceLimits? limits = null) => throw new NotSupportedException();
}

/// <summary>A clock that stands still where the test puts it.</summary>
internal sealed class FixedClock(DateTimeOffset now, long timestamp, long frequency) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
    public override long GetTimestamp() => timestamp;
    public override long TimestampFrequency => frequency;
}
