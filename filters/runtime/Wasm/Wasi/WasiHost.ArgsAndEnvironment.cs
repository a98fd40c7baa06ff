namespace ImageHub.Wasm.Wasi;

// args_* and environ_*: both lay out an array of pointers plus one buffer of NUL-terminated strings.
public sealed partial class WasiHost
{
    private int ArgsSizesGet(WasmCaller caller, int count, int bufferSize) => SizesGet(caller, _arguments, count, bufferSize);

    private int ArgsGet(WasmCaller caller, int pointers, int buffer) => StringsGet(caller, _arguments, pointers, buffer);

    private int EnvironSizesGet(WasmCaller caller, int count, int bufferSize) => SizesGet(caller, _environment, count, bufferSize);

    private int EnvironGet(WasmCaller caller, int pointers, int buffer) => StringsGet(caller, _environment, pointers, buffer);

    private static int SizesGet(WasmCaller caller, byte[][] strings, int count, int bufferSize)
    {
        var memory = GuestMemory.Of(caller);
        if (!memory.Fits(count, 4) || !memory.Fits(bufferSize, 4)) return Answer(WasiErrno.Fault);
        memory.TryWriteUInt32(count, (uint)strings.Length);
        memory.TryWriteUInt32(bufferSize, (uint)strings.Sum(s => s.Length));
        return Answer(WasiErrno.Success);
    }

    private static int StringsGet(WasmCaller caller, byte[][] strings, int pointers, int buffer)
    {
        var memory = GuestMemory.Of(caller);
        if (!memory.Fits(pointers, 4L * strings.Length) || !memory.TryRange(buffer, strings.Sum(s => (long)s.Length), out var target))
            return Answer(WasiErrno.Fault);
        var offset = 0;
        for (var i = 0; i < strings.Length; i++)
        {
            memory.TryWriteUInt32(pointers + 4 * i, (uint)buffer + (uint)offset);
            strings[i].CopyTo(target[offset..]);
            offset += strings[i].Length;
        }
        return Answer(WasiErrno.Success);
    }
}
