using ImageHub.ProxyWasm.Abi;
using ImageHub.Wasm;

namespace ImageHub.ProxyWasm.Hosting;

// Shared data, shared queues, metrics and HTTP callouts.
internal sealed partial class Hostcalls
{
    private string VmId => replica.Plugin.Options.VmId;

    private int GetSharedData(WasmCaller caller, int keyPointer, int keySize, int valuePointerPointer, int valueSizePointer, int casPointer)
    {
        if (!GuestMemory.TryReadUtf8(Memory(caller), keyPointer, keySize, out var key)) return Result(WasmResult.InvalidMemoryAccess);
        var result = replica.Host.SharedData.Get(VmId, key, out var value, out var cas);
        if (result != WasmResult.Ok) return Result(result);
        var copied = replica.CopyOut(caller, value, valuePointerPointer, valueSizePointer);
        if (copied != WasmResult.Ok) return Result(copied);
        return GuestMemory.TryWriteUInt32(Memory(caller), casPointer, cas) ? Result(WasmResult.Ok) : Result(WasmResult.InvalidMemoryAccess);
    }

    private int SetSharedData(WasmCaller caller, int keyPointer, int keySize, int valuePointer, int valueSize, int cas)
    {
        var memory = Memory(caller);
        if (!GuestMemory.TryReadUtf8(memory, keyPointer, keySize, out var key) ||
            !GuestMemory.TryRead(memory, valuePointer, valueSize, out var value))
            return Result(WasmResult.InvalidMemoryAccess);
        return Result(replica.Host.SharedData.Set(VmId, key, value, (uint)cas));
    }

    private int RegisterSharedQueue(WasmCaller caller, int namePointer, int nameSize, int tokenPointer)
    {
        if (!GuestMemory.TryReadUtf8(Memory(caller), namePointer, nameSize, out var name)) return Result(WasmResult.InvalidMemoryAccess);
        var token = replica.Host.SharedQueues.Register(VmId, name, replica.QueueReady);
        return GuestMemory.TryWriteUInt32(Memory(caller), tokenPointer, token) ? Result(WasmResult.Ok) : Result(WasmResult.InvalidMemoryAccess);
    }

    private int ResolveSharedQueue(WasmCaller caller, int vmIdPointer, int vmIdSize, int namePointer, int nameSize, int tokenPointer)
    {
        var memory = Memory(caller);
        if (!GuestMemory.TryReadUtf8(memory, vmIdPointer, vmIdSize, out var vmId) ||
            !GuestMemory.TryReadUtf8(memory, namePointer, nameSize, out var name))
            return Result(WasmResult.InvalidMemoryAccess);
        var token = replica.Host.SharedQueues.Resolve(vmId.Length == 0 ? VmId : vmId, name);
        if (token == 0) return Result(WasmResult.NotFound);
        return GuestMemory.TryWriteUInt32(memory, tokenPointer, token) ? Result(WasmResult.Ok) : Result(WasmResult.InvalidMemoryAccess);
    }

    private int DequeueSharedQueue(WasmCaller caller, int token, int dataPointerPointer, int dataSizePointer)
    {
        var result = replica.Host.SharedQueues.Dequeue((uint)token, out var data);
        return result != WasmResult.Ok ? Result(result) : Result(replica.CopyOut(caller, data, dataPointerPointer, dataSizePointer));
    }

    private int EnqueueSharedQueue(WasmCaller caller, int token, int dataPointer, int dataSize)
    {
        if (!GuestMemory.TryRead(Memory(caller), dataPointer, dataSize, out var data)) return Result(WasmResult.InvalidMemoryAccess);
        return Result(replica.Host.SharedQueues.Enqueue((uint)token, data));
    }

    private int DefineMetric(WasmCaller caller, int type, int namePointer, int nameSize, int idPointer)
    {
        if (!GuestMemory.TryReadUtf8(Memory(caller), namePointer, nameSize, out var name)) return Result(WasmResult.InvalidMemoryAccess);
        var result = replica.Metrics.Define((uint)type, name, out var id);
        if (result != WasmResult.Ok) return Result(result);
        return GuestMemory.TryWriteUInt32(Memory(caller), idPointer, id) ? Result(WasmResult.Ok) : Result(WasmResult.InvalidMemoryAccess);
    }

    private int GetMetric(WasmCaller caller, int id, int resultPointer)
    {
        var result = replica.Metrics.Get((uint)id, out var value);
        if (result != WasmResult.Ok) return Result(result);
        return GuestMemory.TryWriteUInt64(Memory(caller), resultPointer, value) ? Result(WasmResult.Ok) : Result(WasmResult.InvalidMemoryAccess);
    }

    private int HttpCall(WasmCaller caller, int uriPointer, int uriSize, int headersPointer, int headersSize, int bodyPointer, int bodySize,
        int trailersPointer, int trailersSize, int timeoutMilliseconds, int tokenPointer)
    {
        var memory = Memory(caller);
        if (!GuestMemory.TryReadUtf8(memory, uriPointer, uriSize, out var cluster) ||
            !GuestMemory.TryRead(memory, headersPointer, headersSize, out var headerBytes) ||
            !GuestMemory.TryRead(memory, bodyPointer, bodySize, out var body) ||
            !GuestMemory.TryRead(memory, trailersPointer, trailersSize, out var trailerBytes))
            return Result(WasmResult.InvalidMemoryAccess);
        // Check the token can be written before anything leaves the host.
        if (!GuestMemory.TryWriteUInt32(memory, tokenPointer, 0)) return Result(WasmResult.InvalidMemoryAccess);
        var headers = new HeaderMap(PairsCodec.TryRead(headerBytes) ?? []);
        if (body.Length > 0) headers.Set("content-length", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var request = new HttpCalloutRequest(cluster, headers, body.ToArray(), new HeaderMap(PairsCodec.TryRead(trailerBytes) ?? []),
            timeoutMilliseconds == 0 ? null : TimeSpan.FromMilliseconds((uint)timeoutMilliseconds));
        var result = replica.StartCallout(request, out var token);
        if (result == WasmResult.Ok) GuestMemory.TryWriteUInt32(Memory(caller), tokenPointer, token);
        return Result(result);
    }
}
