using System.Text;
using ImageHub.Wasm.Wasi;

namespace ImageHub.Wasm.Tests.Wasi;

public class WasiDescriptorTests
{
    [Fact]
    public void Stdin_reads_its_stream_then_end_of_file()
    {
        var guest = new WasiGuest(new WasiOptions { Stdin = new MemoryStream("abcdef"u8.ToArray()) });
        guest.WriteIovecs(100, (1000, 4), (2000, 10));
        Assert.Equal(WasiErrno.Success, guest.Call("fd_read", 0, 100, 2, 200));
        Assert.Equal(6u, guest.Memory.ReadUInt32(200));
        Assert.Equal("abcd", guest.Memory.ReadUtf8(1000, 4));
        Assert.Equal("ef", guest.Memory.ReadUtf8(2000, 2));

        Assert.Equal(WasiErrno.Success, guest.Call("fd_read", 0, 100, 2, 200));
        Assert.Equal(0u, guest.Memory.ReadUInt32(200));
    }

    [Fact]
    public void Stdin_is_empty_by_default()
    {
        var guest = new WasiGuest(new WasiOptions());
        guest.WriteIovecs(100, (1000, 4));
        guest.Memory.WriteUInt32(200, 77);
        Assert.Equal(WasiErrno.Success, guest.Call("fd_read", 0, 100, 1, 200));
        Assert.Equal(0u, guest.Memory.ReadUInt32(200));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Reading_anything_but_stdin_is_EBADF(int fd)
    {
        var guest = new WasiGuest(new WasiOptions());
        guest.WriteIovecs(100, (1000, 4));
        Assert.Equal(WasiErrno.BadFileDescriptor, guest.Call("fd_read", fd, 100, 1, 200));
    }

    [Fact]
    public void Fdstat_of_stdout_is_a_writable_character_device()
    {
        var guest = new WasiGuest(new WasiOptions());
        guest.Memory.Span.Slice(300, 24).Fill(0xEE);
        Assert.Equal(WasiErrno.Success, guest.Call("fd_fdstat_get", 1, 300));
        Assert.Equal(2, guest.Memory.Span[300]);                       // filetype character_device
        Assert.Equal(0, guest.Memory.Span[301]);                       // padding cleared
        Assert.Equal(0u, guest.Memory.ReadUInt32(300) >> 16);          // fdflags
        var rightsBase = guest.Memory.ReadUInt64(308);
        Assert.NotEqual(0UL, rightsBase & (1UL << 6));                 // fd_write
        Assert.Equal(0UL, rightsBase & (1UL << 1));                    // not fd_read
        Assert.Equal(0UL, guest.Memory.ReadUInt64(316));               // inheriting
    }

    [Fact]
    public void Fdstat_of_stdin_has_the_read_right()
    {
        var guest = new WasiGuest(new WasiOptions());
        Assert.Equal(WasiErrno.Success, guest.Call("fd_fdstat_get", 0, 300));
        Assert.NotEqual(0UL, guest.Memory.ReadUInt64(308) & (1UL << 1));
    }

    [Fact]
    public void Fdstat_answers_EBADF_for_unknown_and_EFAULT_for_a_bad_pointer()
    {
        var guest = new WasiGuest(new WasiOptions());
        Assert.Equal(WasiErrno.BadFileDescriptor, guest.Call("fd_fdstat_get", 3, 300));
        Assert.Equal(WasiErrno.Fault, guest.Call("fd_fdstat_get", 1, 65536 - 23));
    }

    [Fact]
    public void There_are_no_preopened_directories()
    {
        var guest = new WasiGuest(new WasiOptions());
        foreach (var fd in new[] { 0, 1, 2, 3, 4 })
        {
            Assert.Equal(WasiErrno.BadFileDescriptor, guest.Call("fd_prestat_get", fd, 300));
            Assert.Equal(WasiErrno.BadFileDescriptor, guest.Call("fd_prestat_dir_name", fd, 300, 10));
        }
    }

    [Fact]
    public void Path_open_cannot_reach_files()
    {
        var guest = new WasiGuest(new WasiOptions());
        var pathOpen = guest.Function<Func<WasmCaller, int, int, int, int, int, long, long, int, int, int>>("path_open");
        guest.Memory.Write(400, "etc/passwd"u8);
        Assert.Equal((int)WasiErrno.BadFileDescriptor, pathOpen(guest.Caller, 3, 0, 400, 10, 0, -1, -1, 0, 500));
        Assert.Equal((int)WasiErrno.NotDirectory, pathOpen(guest.Caller, 1, 0, 400, 10, 0, -1, -1, 0, 500));
    }

    [Fact]
    public void Standard_streams_cannot_seek()
    {
        var guest = new WasiGuest(new WasiOptions());
        var seek = guest.Function<Func<WasmCaller, int, long, int, int, int>>("fd_seek");
        Assert.Equal((int)WasiErrno.InvalidSeek, seek(guest.Caller, 1, 0, 1, 300));
        Assert.Equal((int)WasiErrno.BadFileDescriptor, seek(guest.Caller, 9, 0, 1, 300));
        Assert.Equal(WasiErrno.InvalidSeek, guest.Call("fd_tell", 0, 300));
    }

    [Theory]
    [InlineData(WasiModuleNames.Preview1, 64)]
    [InlineData(WasiModuleNames.Unstable, 56)]
    public void Filestat_uses_the_layout_of_the_module_name(string module, int size)
    {
        var guest = new WasiGuest(new WasiOptions(), module);
        guest.Memory.Span.Slice(300, 80).Fill(0xEE);
        Assert.Equal(WasiErrno.Success, guest.Call("fd_filestat_get", 2, 300));
        Assert.Equal(2, guest.Memory.Span[300 + 16]);
        Assert.Equal(0UL, guest.Memory.ReadUInt64(300));
        Assert.Equal(0, guest.Memory.Span[300 + size - 1]);
        Assert.Equal(0xEE, guest.Memory.Span[300 + size]);
        Assert.Equal(WasiErrno.BadFileDescriptor, guest.Call("fd_filestat_get", 5, 300));
        Assert.Equal(WasiErrno.Fault, guest.Call("fd_filestat_get", 2, 65536 - size + 1));
    }

    [Fact]
    public void Both_module_names_offer_the_same_functions()
    {
        var imports = new WasiHost().AddTo(new WasmImports());
        foreach (var name in WasiHost.ImplementedFunctions)
        {
            Assert.NotNull(imports.Resolve(WasiModuleNames.Preview1, name));
            Assert.NotNull(imports.Resolve(WasiModuleNames.Unstable, name));
        }
        Assert.Contains("fd_write", WasiHost.ImplementedFunctions);
        Assert.Contains("proc_exit", WasiHost.ImplementedFunctions);
    }

    [Fact]
    public void Every_registered_function_has_the_WASI_signature()
    {
        var imports = new WasiHost().AddTo(new WasmImports());
        foreach (var name in WasiHost.ImplementedFunctions)
        {
            var function = (Delegate)imports.Resolve(WasiModuleNames.Preview1, name)!;
            var invoke = function.GetType().GetMethod("Invoke")!;
            var parameters = invoke.GetParameters().Select(p => p.ParameterType).Where(t => t != typeof(WasmCaller))
                .Select(t => t == typeof(long) ? WasmValueType.I64 : WasmValueType.I32).ToArray();
            WasmValueType[] results = invoke.ReturnType == typeof(void) ? [] : [WasmValueType.I32];
            Assert.Equal(WasiFunctionSignatures.Of(name), new FunctionSignature(parameters, results));
        }
    }
}
