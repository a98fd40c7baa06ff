using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using ImageHub.ProxyWasm.Abi;
using ImageHub.Wasm;

namespace ImageHub.ProxyWasm.Hosting;

/// <summary>
/// The WASI preview1 functions proxy-wasm modules import (Rust and TinyGo use them for
/// stdout, clocks, randomness and exit), answered the way proxy-wasm-cpp-host answers them:
/// stdout and stderr go to the plugin's log (info and error), there are no files, and
/// <c>proc_exit</c> ends the callback as a failure of the filter.
/// </summary>
internal static class ProxyWasi
{
    public const string Preview1 = "wasi_snapshot_preview1";
    public const string Unstable = "wasi_unstable";

    private const int Success = 0, BadFileDescriptor = 8, Fault = 21, Invalid = 28, NoEntry = 44, NoSys = 52, NotSupported = 58, SPipe = 70;

    public static IReadOnlySet<string> Names { get; } = new HashSet<string>(Functions(null!).Keys);

    public static void Register(WasmImports imports, PluginReplica replica)
    {
        foreach (var (name, function) in Functions(replica))
        {
            imports.Function(Preview1, name, function);
            imports.Function(Unstable, name, function);
        }
    }

    private static Dictionary<string, Delegate> Functions(PluginReplica replica) => new()
    {
        ["fd_write"] = new Func<WasmCaller, int, int, int, int, int>((caller, fd, iovs, count, written) => FdWrite(replica, caller, fd, iovs, count, written)),
        ["fd_read"] = new Func<int, int, int, int, int>((_, _, _, _) => NoSys),
        ["fd_seek"] = new Func<int, long, int, int, int>((fd, _, _, _) => fd is 1 or 2 ? SPipe : BadFileDescriptor),
        ["fd_close"] = new Func<int, int>(_ => Success),
        ["fd_fdstat_get"] = new Func<WasmCaller, int, int, int>((caller, fd, stat) => FdStat(replica, caller, fd, stat)),
        ["fd_fdstat_set_flags"] = new Func<int, int, int>((_, _) => NoSys),
        ["fd_prestat_get"] = new Func<int, int, int>((_, _) => BadFileDescriptor),
        ["fd_prestat_dir_name"] = new Func<int, int, int, int>((_, _, _) => NoSys),
        ["fd_filestat_get"] = new Func<int, int, int>((_, _) => BadFileDescriptor),
        ["path_open"] = new Func<int, int, int, int, int, long, long, int, int, int>((_, _, _, _, _, _, _, _, _) => NoEntry),
        ["path_filestat_get"] = new Func<int, int, int, int, int, int>((_, _, _, _, _) => NotSupported),
        ["environ_sizes_get"] = new Func<WasmCaller, int, int, int>((caller, count, size) => EnvironSizes(replica, caller, count, size)),
        ["environ_get"] = new Func<WasmCaller, int, int, int>((caller, array, buffer) => Environ(replica, caller, array, buffer)),
        ["args_sizes_get"] = new Func<WasmCaller, int, int, int>((caller, count, size) =>
            Write32(replica, caller, count, 0) && Write32(replica, caller, size, 0) ? Success : Fault),
        ["args_get"] = new Func<int, int, int>((_, _) => Success),
        ["clock_time_get"] = new Func<WasmCaller, int, long, int, int>((caller, id, _, result) => ClockTime(replica, caller, id, result)),
        ["clock_res_get"] = new Func<WasmCaller, int, int, int>((caller, id, result) =>
            id is 0 or 1 ? (Write64(replica, caller, result, 1) ? Success : Fault) : NotSupported),
        ["random_get"] = new Func<WasmCaller, int, int, int>((caller, buffer, length) => Random(replica, caller, buffer, length)),
        ["sched_yield"] = new Func<int>(() => Success),
        ["poll_oneoff"] = new Func<int, int, int, int, int>((_, _, _, _) => NoSys),
        ["proc_exit"] = new Action<int>(code => throw new GuestExitException(code)),
    };

    private static int FdWrite(PluginReplica replica, WasmCaller caller, int fd, int iovs, int count, int writtenPointer)
    {
        if (fd is not (1 or 2)) return BadFileDescriptor;
        var memory = replica.Memory(caller);
        var text = new List<byte>();
        for (var i = 0; i < count; i++)
        {
            if (!GuestMemory.TryRead(memory, iovs + 8 * i, 8, out var iovec)) return Fault;
            var address = BinaryPrimitives.ReadInt32LittleEndian(iovec);
            var length = BinaryPrimitives.ReadInt32LittleEndian(iovec[4..]);
            if (!GuestMemory.TryRead(memory, address, length, out var bytes)) return Fault;
            text.AddRange(bytes);
        }
        var message = Encoding.UTF8.GetString(text.ToArray());
        if (message.EndsWith('\n')) message = message[..^1];
        if (message.Length > 0) replica.Log(fd == 1 ? ProxyLogLevel.Info : ProxyLogLevel.Error, message);
        return Write32(replica, caller, writtenPointer, (uint)text.Count) ? Success : Fault;
    }

    private static int FdStat(PluginReplica replica, WasmCaller caller, int fd, int statPointer)
    {
        if (fd is not (1 or 2)) return BadFileDescriptor;
        Span<byte> stat = stackalloc byte[24];
        stat.Clear();
        stat[0] = 2; // character device
        BinaryPrimitives.WriteUInt64LittleEndian(stat[8..], 64); // rights: fd_write
        return GuestMemory.TryWrite(replica.Memory(caller), statPointer, stat) ? Success : Fault;
    }

    private static IEnumerable<byte[]> EnvironmentEntries(PluginReplica replica) =>
        replica.Plugin.Options.Environment.Select(pair => Encoding.UTF8.GetBytes($"{pair.Key}={pair.Value}\0"));

    private static int EnvironSizes(PluginReplica replica, WasmCaller caller, int countPointer, int sizePointer)
    {
        var entries = EnvironmentEntries(replica).ToList();
        return Write32(replica, caller, countPointer, (uint)entries.Count) && Write32(replica, caller, sizePointer, (uint)entries.Sum(e => e.Length))
            ? Success : Fault;
    }

    private static int Environ(PluginReplica replica, WasmCaller caller, int arrayPointer, int bufferPointer)
    {
        var memory = replica.Memory(caller);
        foreach (var entry in EnvironmentEntries(replica))
        {
            if (!GuestMemory.TryWriteUInt32(memory, arrayPointer, (uint)bufferPointer) || !GuestMemory.TryWrite(memory, bufferPointer, entry)) return Fault;
            arrayPointer += 4;
            bufferPointer += entry.Length;
        }
        return Success;
    }

    private static int ClockTime(PluginReplica replica, WasmCaller caller, int id, int resultPointer)
    {
        var clock = replica.Host.Clock;
        ulong nanoseconds = id switch
        {
            0 => (ulong)((clock.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100),
            1 => (ulong)(clock.GetTimestamp() * (1_000_000_000.0 / clock.TimestampFrequency)),
            _ => ulong.MaxValue,
        };
        if (nanoseconds == ulong.MaxValue) return NotSupported;
        return Write64(replica, caller, resultPointer, nanoseconds) ? Success : Fault;
    }

    private static int Random(PluginReplica replica, WasmCaller caller, int bufferPointer, int length)
    {
        if (length < 0 || length > 64 * 1024) return Invalid;
        var bytes = RandomNumberGenerator.GetBytes(length);
        return GuestMemory.TryWrite(replica.Memory(caller), bufferPointer, bytes) ? Success : Fault;
    }

    private static bool Write32(PluginReplica replica, WasmCaller caller, int pointer, uint value) =>
        GuestMemory.TryWriteUInt32(replica.Memory(caller), pointer, value);

    private static bool Write64(PluginReplica replica, WasmCaller caller, int pointer, ulong value) =>
        GuestMemory.TryWriteUInt64(replica.Memory(caller), pointer, value);
}

/// <summary>The guest called <c>proc_exit</c>: its callback is over, and so is the replica.</summary>
internal sealed class GuestExitException(int code) : Exception($"the filter called proc_exit({code})")
{
    public int Code { get; } = code;
}
