using System.Text;

namespace ImageHub.Wasm.Wasi;

/// <summary>
/// The host side of the WASI preview1 subset for one guest instance: stdio, arguments,
/// environment, clocks, randomness and exit. Register it into the imports of each
/// instance (<see cref="AddTo"/>); it answers under both <c>wasi_snapshot_preview1</c>
/// and <c>wasi_unstable</c>. Every other WASI function can be linked to an ENOSYS stub
/// with <see cref="WasiUnsupported.AddStubs"/>.
/// </summary>
/// <remarks>
/// Each function returns an <see cref="WasiErrno"/>: a bad guest pointer is
/// <see cref="WasiErrno.Fault"/>, a descriptor that is not open is
/// <see cref="WasiErrno.BadFileDescriptor"/>. Only <c>proc_exit</c> throws
/// (<see cref="WasiExitException"/>).
/// </remarks>
public sealed partial class WasiHost
{
    private readonly WasiOptions _options;
    private readonly WasiStandardStreams _streams;
    private readonly byte[][] _arguments;
    private readonly byte[][] _environment;

    public WasiHost(WasiOptions? options = null)
    {
        _options = options ?? new WasiOptions();
        _streams = new WasiStandardStreams(_options);
        _arguments = _options.Arguments.Select(NulTerminatedUtf8).ToArray();
        _environment = _options.Environment.Select(pair => NulTerminatedUtf8($"{pair.Key}={pair.Value}")).ToArray();
    }

    /// <summary>The names this host implements (the same under both module names).</summary>
    public static IReadOnlyCollection<string> ImplementedFunctions { get; } =
        new WasiHost().Functions(filestatSize: 0).Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>Registers every implemented function under both WASI module names.</summary>
    public WasmImports AddTo(WasmImports imports)
    {
        foreach (var (name, function) in Functions(WasiLayout.FilestatSizePreview1))
            imports.Function(WasiModuleNames.Preview1, name, function);
        foreach (var (name, function) in Functions(WasiLayout.FilestatSizeUnstable))
            imports.Function(WasiModuleNames.Unstable, name, function);
        return imports;
    }

    /// <summary>Hands on output the sinks still buffer (an unfinished last line).</summary>
    public void Flush() => _streams.FlushAll();

    // The two module names differ only in struct layouts this host writes: filestat.
    private Dictionary<string, Delegate> Functions(int filestatSize) => new()
    {
        ["args_get"] = new Func<WasmCaller, int, int, int>(ArgsGet),
        ["args_sizes_get"] = new Func<WasmCaller, int, int, int>(ArgsSizesGet),
        ["environ_get"] = new Func<WasmCaller, int, int, int>(EnvironGet),
        ["environ_sizes_get"] = new Func<WasmCaller, int, int, int>(EnvironSizesGet),
        ["clock_res_get"] = new Func<WasmCaller, int, int, int>(ClockResGet),
        ["clock_time_get"] = new Func<WasmCaller, int, long, int, int>(ClockTimeGet),
        ["random_get"] = new Func<WasmCaller, int, int, int>(RandomGet),
        ["fd_write"] = new Func<WasmCaller, int, int, int, int, int>(FdWrite),
        ["fd_read"] = new Func<WasmCaller, int, int, int, int, int>(FdRead),
        ["fd_close"] = new Func<int, int>(FdClose),
        ["fd_seek"] = new Func<WasmCaller, int, long, int, int, int>(FdSeek),
        ["fd_tell"] = new Func<WasmCaller, int, int, int>(FdTell),
        ["fd_fdstat_get"] = new Func<WasmCaller, int, int, int>(FdFdstatGet),
        ["fd_filestat_get"] = new Func<WasmCaller, int, int, int>((caller, fd, buf) => FdFilestatGet(caller, fd, buf, filestatSize)),
        ["fd_prestat_get"] = new Func<WasmCaller, int, int, int>(FdPrestatGet),
        ["fd_prestat_dir_name"] = new Func<WasmCaller, int, int, int, int>(FdPrestatDirName),
        ["path_open"] = new Func<WasmCaller, int, int, int, int, int, long, long, int, int, int>(PathOpen),
        ["proc_exit"] = new Action<int>(ProcExit),
        ["sched_yield"] = new Func<int>(SchedYield),
        ["poll_oneoff"] = new Func<int, int, int, int, int>(PollOneoff),
    };

    private static byte[] NulTerminatedUtf8(string text) => Encoding.UTF8.GetBytes(text + '\0');

    private static int Answer(WasiErrno errno) => (int)errno;
}
