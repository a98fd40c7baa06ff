namespace ImageHub.Wasm.Wasi;

/// <summary>The module names WASI preview1 is imported under: the snapshot and its older spelling.</summary>
public static class WasiModuleNames
{
    public const string Preview1 = "wasi_snapshot_preview1";
    public const string Unstable = "wasi_unstable";

    public static bool IsWasi(string module) => module is Preview1 or Unstable;
}

/// <summary><c>$filetype</c>.</summary>
internal enum WasiFileType : byte
{
    Unknown = 0,
    BlockDevice = 1,
    CharacterDevice = 2,
    Directory = 3,
    RegularFile = 4,
    SocketDatagram = 5,
    SocketStream = 6,
    SymbolicLink = 7,
}

/// <summary><c>$clockid</c>.</summary>
internal enum WasiClockId
{
    Realtime = 0,
    Monotonic = 1,
    ProcessCpuTime = 2,
    ThreadCpuTime = 3,
}

/// <summary>The <c>$rights</c> bits this host hands out (bit numbers from the witx flags).</summary>
[Flags]
internal enum WasiRights : ulong
{
    None = 0,
    FdRead = 1UL << 1,
    FdWrite = 1UL << 6,
    FdFilestatGet = 1UL << 21,
    PollFdReadWrite = 1UL << 27,
}

/// <summary>Byte sizes and field offsets of the structs the host writes into guest memory.</summary>
internal static class WasiLayout
{
    /// <summary><c>$ciovec</c>/<c>$iovec</c>: buf u32 @0, buf_len u32 @4.</summary>
    public const int IovecSize = 8;

    /// <summary><c>$fdstat</c>: filetype u8 @0, flags u16 @2, rights_base u64 @8, rights_inheriting u64 @16.</summary>
    public const int FdstatSize = 24;

    /// <summary>
    /// <c>$filestat</c> in preview1: dev @0, ino @8, filetype u8 @16, nlink u64 @24, size @32, atim @40, mtim @48, ctim @56.
    /// </summary>
    public const int FilestatSizePreview1 = 64;

    /// <summary><c>wasi_unstable</c>'s filestat has a u32 nlink @20, so everything after it moves up: size @24 ... ctim @48.</summary>
    public const int FilestatSizeUnstable = 56;

    public const int FilestatFileTypeOffset = 16;
}
