namespace ImageHub.Wasm.Wasi;

/// <summary>
/// Every function of WASI preview1 with its core-wasm signature (pointers, sizes and
/// enums are i32; file sizes, offsets, rights and timestamps are i64; all but
/// <c>proc_exit</c> return an errno). <c>wasi_unstable</c> has the same names and
/// signatures apart from <c>sock_accept</c>, which it lacks.
/// </summary>
public static class WasiFunctionSignatures
{
    // Parameter letters: i = i32, I = i64. "e" after the colon: returns an errno (i32).
    private static readonly Dictionary<string, string> Shapes = new(StringComparer.Ordinal)
    {
        ["args_get"] = "ii:e",
        ["args_sizes_get"] = "ii:e",
        ["environ_get"] = "ii:e",
        ["environ_sizes_get"] = "ii:e",
        ["clock_res_get"] = "ii:e",
        ["clock_time_get"] = "iIi:e",
        ["fd_advise"] = "iIIi:e",
        ["fd_allocate"] = "iII:e",
        ["fd_close"] = "i:e",
        ["fd_datasync"] = "i:e",
        ["fd_fdstat_get"] = "ii:e",
        ["fd_fdstat_set_flags"] = "ii:e",
        ["fd_fdstat_set_rights"] = "iII:e",
        ["fd_filestat_get"] = "ii:e",
        ["fd_filestat_set_size"] = "iI:e",
        ["fd_filestat_set_times"] = "iIIi:e",
        ["fd_pread"] = "iiiIi:e",
        ["fd_prestat_get"] = "ii:e",
        ["fd_prestat_dir_name"] = "iii:e",
        ["fd_pwrite"] = "iiiIi:e",
        ["fd_read"] = "iiii:e",
        ["fd_readdir"] = "iiiIi:e",
        ["fd_renumber"] = "ii:e",
        ["fd_seek"] = "iIii:e",
        ["fd_sync"] = "i:e",
        ["fd_tell"] = "ii:e",
        ["fd_write"] = "iiii:e",
        ["path_create_directory"] = "iii:e",
        ["path_filestat_get"] = "iiiii:e",
        ["path_filestat_set_times"] = "iiiiIIi:e",
        ["path_link"] = "iiiiiii:e",
        ["path_open"] = "iiiiiIIii:e",
        ["path_readlink"] = "iiiiii:e",
        ["path_remove_directory"] = "iii:e",
        ["path_rename"] = "iiiiii:e",
        ["path_symlink"] = "iiiii:e",
        ["path_unlink_file"] = "iii:e",
        ["poll_oneoff"] = "iiii:e",
        ["proc_exit"] = "i:",
        ["proc_raise"] = "i:e",
        ["sched_yield"] = ":e",
        ["random_get"] = "ii:e",
        ["sock_accept"] = "iii:e",
        ["sock_recv"] = "iiiiii:e",
        ["sock_send"] = "iiiii:e",
        ["sock_shutdown"] = "ii:e",
    };

    public static IReadOnlyCollection<string> Names => Shapes.Keys;

    /// <summary>The signature of a preview1 function, or null for a name WASI does not define.</summary>
    public static FunctionSignature? Of(string name)
    {
        if (!Shapes.TryGetValue(name, out var shape)) return null;
        var colon = shape.IndexOf(':');
        var parameters = shape[..colon].Select(c => c == 'I' ? WasmValueType.I64 : WasmValueType.I32).ToArray();
        WasmValueType[] results = shape[(colon + 1)..] == "e" ? [WasmValueType.I32] : [];
        return new FunctionSignature(parameters, results);
    }
}
