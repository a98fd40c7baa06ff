using System.Text;
using ImageHub.ProxyWasm.Abi;
using ImageHub.Wasm;

namespace ImageHub.ProxyWasm.Hosting;

// Header maps and buffers, with Envoy's answers: a map the context does not have now is
// BadArgument; a missing header is NotFound (an empty value under ABI 0.1.0).
internal sealed partial class Hostcalls
{
    private const int MaxHeaderMapType = (int)HeaderMapType.HttpCallResponseTrailers;
    private const int MaxBufferType = (int)BufferType.CallData;

    // Header names are looked up by their bytes in guest memory (HeaderMap's UTF-8 overloads):
    // a lookup decodes no name and allocates nothing but the value it copies out.

    private int GetHeaderMapValue(WasmCaller caller, int type, int keyPointer, int keySize, int valuePointerPointer, int valueSizePointer)
    {
        if ((uint)type > MaxHeaderMapType) return Result(WasmResult.BadArgument);
        if (!GuestMemory.TryRead(Memory(caller), keyPointer, keySize, out var key)) return Result(WasmResult.InvalidMemoryAccess);
        var map = Context.GetHeaderMap((HeaderMapType)type, forWrite: false);
        if (map is null) return Result(WasmResult.BadArgument);
        var value = map.Get(key);
        if (value is null)
        {
            if (replica.Plugin.Abi != AbiVersion.V0_1_0) return Result(WasmResult.NotFound);
            value = "";
        }
        // The key's span is not used past this point: copying out may grow (move) the guest's memory.
        return Result(replica.CopyOutUtf8(caller, value, valuePointerPointer, valueSizePointer));
    }

    private int AddHeaderMapValue(WasmCaller caller, int type, int keyPointer, int keySize, int valuePointer, int valueSize) =>
        ChangeHeader(caller, type, keyPointer, keySize, valuePointer, valueSize, replace: false);

    private int ReplaceHeaderMapValue(WasmCaller caller, int type, int keyPointer, int keySize, int valuePointer, int valueSize) =>
        ChangeHeader(caller, type, keyPointer, keySize, valuePointer, valueSize, replace: true);

    private int ChangeHeader(WasmCaller caller, int type, int keyPointer, int keySize, int valuePointer, int valueSize, bool replace)
    {
        if ((uint)type > MaxHeaderMapType) return Result(WasmResult.BadArgument);
        var memory = Memory(caller);
        if (!GuestMemory.TryRead(memory, keyPointer, keySize, out var key) ||
            !GuestMemory.TryReadUtf8(memory, valuePointer, valueSize, out var value))
            return Result(WasmResult.InvalidMemoryAccess);
        var map = Context.GetHeaderMap((HeaderMapType)type, forWrite: true);
        if (map is null) return Result(WasmResult.BadArgument);
        if (replace) map.Set(key, value);
        else map.Add(Encoding.UTF8.GetString(key), value);
        return Result(WasmResult.Ok);
    }

    private int RemoveHeaderMapValue(WasmCaller caller, int type, int keyPointer, int keySize)
    {
        if ((uint)type > MaxHeaderMapType) return Result(WasmResult.BadArgument);
        if (!GuestMemory.TryRead(Memory(caller), keyPointer, keySize, out var key)) return Result(WasmResult.InvalidMemoryAccess);
        var map = Context.GetHeaderMap((HeaderMapType)type, forWrite: true);
        if (map is null) return Result(WasmResult.BadArgument);
        map.Remove(key);
        return Result(WasmResult.Ok);
    }

    private int GetHeaderMapPairs(WasmCaller caller, int type, int pointerPointer, int sizePointer)
    {
        if ((uint)type > MaxHeaderMapType) return Result(WasmResult.BadArgument);
        // Envoy serializes a map it does not have as no pairs at all.
        var map = Context.GetHeaderMap((HeaderMapType)type, forWrite: false);
        if (map is null || map.Count == 0) return Result(replica.CopyOut(caller, [], pointerPointer, sizePointer));
        var size = PairsCodec.Size(map);
        var address = replica.Exports.Allocate(size);
        var memory = Memory(caller);
        if (address == 0 || (ulong)(uint)address + (uint)size > (ulong)memory.Span.Length) return Result(WasmResult.InvalidMemoryAccess);
        PairsCodec.Write(map, memory.Span.Slice(address, size));
        if (!GuestMemory.TryWriteUInt32(memory, pointerPointer, (uint)address) || !GuestMemory.TryWriteUInt32(memory, sizePointer, (uint)size))
            return Result(WasmResult.InvalidMemoryAccess);
        return Result(WasmResult.Ok);
    }

    private int SetHeaderMapPairs(WasmCaller caller, int type, int pointer, int size)
    {
        if ((uint)type > MaxHeaderMapType) return Result(WasmResult.BadArgument);
        if (!GuestMemory.TryRead(Memory(caller), pointer, size, out var bytes)) return Result(WasmResult.InvalidMemoryAccess);
        var map = Context.GetHeaderMap((HeaderMapType)type, forWrite: true);
        if (map is null) return Result(WasmResult.BadArgument);
        map.ReplaceAll(PairsCodec.TryRead(bytes) ?? []);
        return Result(WasmResult.Ok);
    }

    private int GetHeaderMapSize(WasmCaller caller, int type, int sizePointer)
    {
        if ((uint)type > MaxHeaderMapType) return Result(WasmResult.BadArgument);
        var map = Context.GetHeaderMap((HeaderMapType)type, forWrite: false);
        if (map is null) return Result(WasmResult.BadArgument);
        return GuestMemory.TryWriteUInt32(Memory(caller), sizePointer, (uint)map.ByteSize) ? Result(WasmResult.Ok) : Result(WasmResult.InvalidMemoryAccess);
    }

    private int GetBufferStatus(WasmCaller caller, int type, int lengthPointer, int flagsPointer)
    {
        if ((uint)type > MaxBufferType) return Result(WasmResult.BadArgument);
        var length = Context.GetMutableBuffer((BufferType)type)?.Length ?? Context.GetBuffer((BufferType)type)?.Length;
        if (length is null) return Result(WasmResult.NotFound);
        var memory = Memory(caller);
        if (!GuestMemory.TryWriteUInt32(memory, lengthPointer, (uint)length) || !GuestMemory.TryWriteUInt32(memory, flagsPointer, 0))
            return Result(WasmResult.InvalidMemoryAccess);
        return Result(WasmResult.Ok);
    }

    private int GetBufferBytes(WasmCaller caller, int type, int start, int length, int pointerPointer, int sizePointer)
    {
        if ((uint)type > MaxBufferType) return Result(WasmResult.BadArgument);
        ReadOnlySpan<byte> buffer;
        if (Context.GetMutableBuffer((BufferType)type) is { } mutable) buffer = mutable.Span;
        else if (Context.GetBuffer((BufferType)type) is { } constant) buffer = constant.Span;
        else return Result(WasmResult.NotFound);
        var first = (uint)start;
        var count = (uint)length;
        if (first + (ulong)count > uint.MaxValue) return Result(WasmResult.BadArgument);
        // Don't over-read: a window past the end shrinks, as in proxy-wasm-cpp-host.
        if (first > buffer.Length) count = 0;
        else if (first + count > buffer.Length) count = (uint)buffer.Length - first;
        return Result(replica.CopyOut(caller, count == 0 ? [] : buffer.Slice((int)first, (int)count), pointerPointer, sizePointer));
    }

    private int SetBufferBytes(WasmCaller caller, int type, int start, int length, int dataPointer, int dataSize)
    {
        if ((uint)type > MaxBufferType) return Result(WasmResult.BadArgument);
        if (!GuestMemory.TryRead(Memory(caller), dataPointer, dataSize, out var data)) return Result(WasmResult.InvalidMemoryAccess);
        if (Context.GetMutableBuffer((BufferType)type) is { } buffer) return Result(buffer.Splice((int)Math.Min((uint)start, int.MaxValue), (int)Math.Min((uint)length, int.MaxValue), data));
        // Constant buffers (configuration, callout bodies) cannot be changed.
        return Result(Context.GetBuffer((BufferType)type) is null ? WasmResult.NotFound : WasmResult.BadArgument);
    }
}
